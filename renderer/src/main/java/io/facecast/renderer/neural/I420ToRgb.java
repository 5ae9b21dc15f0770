package io.facecast.renderer.neural;

/** Tightly packed I420 to packed RGB ints (0xRRGGBB), BT.601 limited range: the inverse of {@code Rgb2I420}. */
public final class I420ToRgb {
    private I420ToRgb() {}

    public static int[] convert(byte[] i420, int width, int height) {
        int[] out = new int[width * height];
        int cw = width / 2, uBase = width * height, vBase = uBase + cw * (height / 2);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int c = (y / 2) * cw + x / 2;
                double luma = 1.164 * ((i420[y * width + x] & 0xff) - 16);
                double u = (i420[uBase + c] & 0xff) - 128, v = (i420[vBase + c] & 0xff) - 128;
                int r = clip(luma + 1.596 * v);
                int g = clip(luma - 0.392 * u - 0.813 * v);
                int b = clip(luma + 2.017 * u);
                out[y * width + x] = r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    private static int clip(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
