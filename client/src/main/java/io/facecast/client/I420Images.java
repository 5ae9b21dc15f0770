package io.facecast.client;

import java.awt.image.BufferedImage;

/** Helpers for tightly packed I420 frames (Y plane, then U, then V). */
public final class I420Images {
    private I420Images() {
    }

    public static int frameSize(int width, int height) {
        return width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2);
    }

    /** Mean luma (0..255) of the rectangle [x, x+w) x [y, y+h), clipped to the frame. */
    public static double meanLuma(byte[] i420, int width, int height, int x, int y, int w, int h) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(width, x + w);
        int y1 = Math.min(height, y + h);
        if (x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException("rectangle " + x + "," + y + " " + w + "x" + h + " is outside the "
                    + width + "x" + height + " frame");
        }
        long sum = 0;
        for (int row = y0; row < y1; row++) {
            int base = row * width;
            for (int col = x0; col < x1; col++) {
                sum += i420[base + col] & 0xff;
            }
        }
        return (double) sum / ((long) (x1 - x0) * (y1 - y0));
    }

    /** Converts to RGB with BT.601 studio-range coefficients, scaled to {@code outWidth x outHeight}. */
    public static BufferedImage toRgb(byte[] i420, int width, int height, int outWidth, int outHeight) {
        BufferedImage image = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int cw = (width + 1) / 2;
        int uBase = width * height;
        int vBase = uBase + cw * ((height + 1) / 2);
        for (int oy = 0; oy < outHeight; oy++) {
            int sy = (int) ((oy + 0.5) * height / outHeight);
            for (int ox = 0; ox < outWidth; ox++) {
                int sx = (int) ((ox + 0.5) * width / outWidth);
                int yv = (i420[sy * width + sx] & 0xff) - 16;
                int ci = (sy / 2) * cw + sx / 2;
                int u = (i420[uBase + ci] & 0xff) - 128;
                int v = (i420[vBase + ci] & 0xff) - 128;
                int r = clamp((298 * yv + 409 * v + 128) >> 8);
                int g = clamp((298 * yv - 100 * u - 208 * v + 128) >> 8);
                int b = clamp((298 * yv + 516 * u + 128) >> 8);
                image.setRGB(ox, oy, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int clamp(int value) {
        return value < 0 ? 0 : Math.min(255, value);
    }
}
