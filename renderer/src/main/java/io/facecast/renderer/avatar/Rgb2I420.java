package io.facecast.renderer.avatar;

import io.facecast.bus.I420;

/** Packed RGB (0xRRGGBB ints) to tightly packed I420, BT.601 limited range (what WebRTC encoders assume). */
public final class Rgb2I420 {
    private Rgb2I420() {}

    public static byte[] convert(int[] rgb, int width, int height) {
        byte[] out = new byte[I420.size(width, height)];
        convert(rgb, width, height, out);
        return out;
    }

    public static void convert(int[] rgb, int width, int height, byte[] out) {
        if ((width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("I420 needs even dimensions, got " + width + "x" + height);
        }
        int cw = width / 2;
        int uBase = width * height;
        int vBase = uBase + cw * (height / 2);
        for (int y = 0; y < height; y += 2) {
            int row0 = y * width;
            int row1 = row0 + width;
            int c = uBase + (y / 2) * cw;
            for (int x = 0; x < width; x += 2) {
                int p00 = rgb[row0 + x], p01 = rgb[row0 + x + 1], p10 = rgb[row1 + x], p11 = rgb[row1 + x + 1];
                out[row0 + x] = luma(p00);
                out[row0 + x + 1] = luma(p01);
                out[row1 + x] = luma(p10);
                out[row1 + x + 1] = luma(p11);
                int r = ((p00 >> 16 & 0xff) + (p01 >> 16 & 0xff) + (p10 >> 16 & 0xff) + (p11 >> 16 & 0xff) + 2) >> 2;
                int g = ((p00 >> 8 & 0xff) + (p01 >> 8 & 0xff) + (p10 >> 8 & 0xff) + (p11 >> 8 & 0xff) + 2) >> 2;
                int b = ((p00 & 0xff) + (p01 & 0xff) + (p10 & 0xff) + (p11 & 0xff) + 2) >> 2;
                int ci = c + x / 2;
                out[ci] = (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
                out[ci - uBase + vBase] = (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
            }
        }
    }

    /** A patch of one colour. */
    public static byte[] solid(int width, int height, int rgb) {
        int[] px = new int[width * height];
        java.util.Arrays.fill(px, rgb);
        return convert(px, width, height);
    }

    private static byte luma(int p) {
        int r = p >> 16 & 0xff, g = p >> 8 & 0xff, b = p & 0xff;
        return (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
    }
}
