package io.facecast.client;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A grid of frames sampled evenly over a recording, downscaled, as one PNG: a quick look at what was received. */
public final class ContactSheet {
    private static final int GAP = 2;

    private ContactSheet() {
    }

    /**
     * Renders {@code columns x rows} frames of {@code y4m} sampled evenly (first to last) into a PNG whose cells are
     * {@code cellWidth} wide (height keeps the aspect ratio). Fewer frames than cells leave cells dark.
     *
     * @return the number of frames drawn
     */
    public static int write(Path y4m, Path png, int columns, int rows, int cellWidth) throws IOException {
        try (Y4mReader reader = Y4mReader.open(y4m)) {
            int cellHeight = Math.max(1, Math.round((float) cellWidth * reader.height() / reader.width()));
            BufferedImage sheet = new BufferedImage(columns * cellWidth + (columns + 1) * GAP,
                    rows * cellHeight + (rows + 1) * GAP, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = sheet.createGraphics();
            g.setColor(Color.DARK_GRAY);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            int cells = columns * rows;
            long frames = reader.frameCount();
            int drawn = 0;
            for (int cell = 0; cell < cells && cell < frames; cell++) {
                long index = frames <= cells || cells == 1 ? cell
                        : Math.round((double) cell * (frames - 1) / (cells - 1));
                BufferedImage thumb = I420Images.toRgb(reader.frame(index), reader.width(), reader.height(),
                        cellWidth, cellHeight);
                int x = GAP + (cell % columns) * (cellWidth + GAP);
                int y = GAP + (cell / columns) * (cellHeight + GAP);
                g.drawImage(thumb, x, y, null);
                drawn++;
            }
            g.dispose();
            if (!ImageIO.write(sheet, "png", png.toFile())) {
                throw new IOException("no PNG writer available");
            }
            return drawn;
        }
    }
}
