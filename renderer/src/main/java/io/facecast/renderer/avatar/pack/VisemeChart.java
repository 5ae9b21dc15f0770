package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pack chart}: one PNG showing every mouth shape of a pack on the face, so a person can check a pack at a
 * glance. One tile per shape (and one for the blink): the whole face, below it the mouth (or eyes) enlarged, and the
 * shape's letter with the sounds it stands for.
 */
public final class VisemeChart {
    static final int TILE = 240, COLUMNS = 5, GAP = 12, TITLE = 40, LABEL = 34;
    private static final Color PAPER = new Color(0xF4F4F0), INK = new Color(0x202020), FRAME = new Color(0xB0B0B0);

    private VisemeChart() {}

    public static BufferedImage render(AvatarPack pack) {
        record Tile(String label, BufferedImage frame, Region zoom) {}
        List<Tile> tiles = new ArrayList<>();
        for (MouthShape s : MouthShape.values()) {
            tiles.add(new Tile(s.name() + "  " + PackManifest.describe(s), pack.frame(s, false), pack.mouthRegion()));
        }
        if (pack.blinks()) {
            tiles.add(new Tile("BLINK", pack.frame(MouthShape.X, true), pack.eyesRegion()));
        }
        int faceH = (int) Math.round(TILE * (double) pack.height() / pack.width());
        int zoomH = TILE / 2;
        int tileH = faceH + GAP / 2 + zoomH + LABEL;
        int rows = (tiles.size() + COLUMNS - 1) / COLUMNS;
        int w = GAP + COLUMNS * (TILE + GAP);
        int h = TITLE + rows * (tileH + GAP) + GAP;
        BufferedImage chart = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = chart.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(PAPER);
            g.fillRect(0, 0, w, h);
            TinyFont.draw(g, "PACK " + pack.name() + "   " + pack.width() + "X" + pack.height() + "   "
                    + pack.idleFrames() + " IDLE FRAME" + (pack.idleFrames() == 1 ? "" : "S")
                    + (pack.blinks() ? "   BLINKS" : "   NO BLINK"), GAP, 12, 3, INK);
            for (int i = 0; i < tiles.size(); i++) {
                Tile t = tiles.get(i);
                int x = GAP + (i % COLUMNS) * (TILE + GAP);
                int y = TITLE + (i / COLUMNS) * (tileH + GAP);
                g.drawImage(shrink(t.frame(), TILE, faceH), x, y, null);
                Region z = t.zoom();
                double k = Math.min((double) TILE / z.width(), (double) zoomH / z.height());
                int zw = (int) Math.round(z.width() * k), zh = (int) Math.round(z.height() * k);
                int zx = x + (TILE - zw) / 2, zy = y + faceH + GAP / 2;
                g.drawImage(t.frame().getSubimage(z.x(), z.y(), z.width(), z.height()), zx, zy, zw, zh, null);
                g.setColor(FRAME);
                g.drawRect(x - 1, y - 1, TILE + 1, faceH + GAP / 2 + zoomH + 1);
                TinyFont.draw(g, t.label(), x, y + faceH + GAP / 2 + zoomH + 8, 3, INK);
            }
        } finally {
            g.dispose();
        }
        return chart;
    }

    /** Scaled to fit w x h, halving first so a large face does not alias. */
    private static BufferedImage shrink(BufferedImage img, int w, int h) {
        BufferedImage s = img;
        while (s.getWidth() >= 2 * w && s.getHeight() >= 2 * h) {
            s = FrameFit.halve(s);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(s, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
