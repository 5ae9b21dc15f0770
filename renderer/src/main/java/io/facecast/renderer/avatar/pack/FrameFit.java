package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.Region;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * How a pack drawn at its own size fills a session's frame: scaled uniformly to fit and centred, the bands left over
 * on a different aspect ratio filled by extending the image's edge pixels (a plain or vertically graded background
 * simply continues). This is the same placement the procedural avatar uses, so regions land where clients expect.
 */
final class FrameFit {
    final int srcWidth, srcHeight, width, height;
    final double scale, offsetX, offsetY;
    /** The destination pixels fully covered by the scaled image; the rest is edge extension. */
    private final int x0, y0, x1, y1;

    FrameFit(int srcWidth, int srcHeight, int width, int height) {
        this.srcWidth = srcWidth;
        this.srcHeight = srcHeight;
        this.width = width;
        this.height = height;
        scale = Math.min((double) width / srcWidth, (double) height / srcHeight);
        offsetX = (width - srcWidth * scale) / 2;
        offsetY = (height - srcHeight * scale) / 2;
        x0 = Math.max(0, (int) Math.ceil(offsetX));
        y0 = Math.max(0, (int) Math.ceil(offsetY));
        x1 = Math.min(width, (int) Math.floor(offsetX + srcWidth * scale));
        y1 = Math.min(height, (int) Math.floor(offsetY + srcHeight * scale));
    }

    boolean identity() {
        return srcWidth == width && srcHeight == height;
    }

    /** The even-aligned destination region covering source region {@code r}. */
    Region map(Region r) {
        return Region.covering(offsetX + r.x() * scale, offsetY + r.y() * scale, offsetX + (r.x() + r.width()) * scale,
                offsetY + (r.y() + r.height()) * scale, width, height);
    }

    /** Pixels (0xRRGGBB) of destination region {@code dest} of the fitted full source frame {@code src}. */
    int[] draw(BufferedImage src, Region dest) {
        BufferedImage out = new BufferedImage(dest.width(), dest.height(), BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        if (identity()) {
            src.getRGB(dest.x(), dest.y(), dest.width(), dest.height(), px, 0, dest.width());
            for (int i = 0; i < px.length; i++) {
                px[i] &= 0xFFFFFF;
            }
            return px;
        }
        // Bilinear filtering alone aliases below half size; halve with a box filter first until it does not.
        BufferedImage s = src;
        double k = 1;
        while (scale * k < 0.5) {
            s = halve(s);
            k *= 2;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            AffineTransform t = new AffineTransform();
            t.translate(offsetX - dest.x(), offsetY - dest.y());
            t.scale(scale * k, scale * k);
            g.drawImage(s, t, null);
        } finally {
            g.dispose();
        }
        extendEdges(px, dest);
        return px;
    }

    /** Copies the nearest covered pixel into every destination pixel outside the covered rectangle. */
    private void extendEdges(int[] px, Region dest) {
        int w = dest.width(), h = dest.height();
        if (x1 <= x0 || y1 <= y0) {
            return;
        }
        for (int y = 0; y < h; y++) {
            int fy = Math.min(Math.max(dest.y() + y, y0), y1 - 1) - dest.y();
            for (int x = 0; x < w; x++) {
                int ax = dest.x() + x, ay = dest.y() + y;
                if (ax >= x0 && ax < x1 && ay >= y0 && ay < y1) {
                    continue;
                }
                int fx = Math.min(Math.max(ax, x0), x1 - 1) - dest.x();
                if (fx >= 0 && fx < w && fy >= 0 && fy < h) {
                    px[y * w + x] = px[fy * w + fx];
                }
            }
        }
    }

    /** Half size, each pixel the mean of a 2x2 block (the last row/column repeats on odd sizes). */
    static BufferedImage halve(BufferedImage src) {
        int w = src.getWidth(), h = src.getHeight();
        int hw = Math.max(1, (w + 1) / 2), hh = Math.max(1, (h + 1) / 2);
        int[] in = src.getRGB(0, 0, w, h, null, 0, w);
        BufferedImage out = new BufferedImage(hw, hh, BufferedImage.TYPE_INT_RGB);
        int[] o = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < hh; y++) {
            int ya = Math.min(2 * y, h - 1) * w, yb = Math.min(2 * y + 1, h - 1) * w;
            for (int x = 0; x < hw; x++) {
                int xa = Math.min(2 * x, w - 1), xb = Math.min(2 * x + 1, w - 1);
                int p = in[ya + xa], q = in[ya + xb], r = in[yb + xa], s = in[yb + xb];
                int red = ((p >> 16 & 255) + (q >> 16 & 255) + (r >> 16 & 255) + (s >> 16 & 255) + 2) >> 2;
                int grn = ((p >> 8 & 255) + (q >> 8 & 255) + (r >> 8 & 255) + (s >> 8 & 255) + 2) >> 2;
                int blu = ((p & 255) + (q & 255) + (r & 255) + (s & 255) + 2) >> 2;
                o[y * hw + x] = red << 16 | grn << 8 | blu;
            }
        }
        return out;
    }
}
