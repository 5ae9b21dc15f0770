package io.facecast.bus;

/** I420 (planar Y, then U and V at half resolution) layout arithmetic and region blits, tightly packed. */
public final class I420 {
    private I420() {}

    public static int size(int width, int height) {
        return width * height + 2 * ((width / 2) * (height / 2));
    }

    /** Copies a tightly packed I420 region into a full frame at (x, y). All coordinates even. */
    public static void overlay(byte[] frame, int frameWidth, int frameHeight,
                               byte[] patch, int x, int y, int patchWidth, int patchHeight) {
        if (x + patchWidth > frameWidth || y + patchHeight > frameHeight) {
            throw new IllegalArgumentException("patch " + patchWidth + "x" + patchHeight + "@" + x + "," + y
                    + " outside frame " + frameWidth + "x" + frameHeight);
        }
        if (patch.length < size(patchWidth, patchHeight)) {
            throw new IllegalArgumentException("patch holds " + patch.length + " bytes, needs " + size(patchWidth, patchHeight));
        }
        for (int row = 0; row < patchHeight; row++) {
            System.arraycopy(patch, row * patchWidth, frame, (y + row) * frameWidth + x, patchWidth);
        }
        int fcw = frameWidth / 2, fch = frameHeight / 2, pcw = patchWidth / 2, pch = patchHeight / 2;
        int fu = frameWidth * frameHeight, fv = fu + fcw * fch;
        int pu = patchWidth * patchHeight, pv = pu + pcw * pch;
        for (int row = 0; row < pch; row++) {
            System.arraycopy(patch, pu + row * pcw, frame, fu + (y / 2 + row) * fcw + x / 2, pcw);
            System.arraycopy(patch, pv + row * pcw, frame, fv + (y / 2 + row) * fcw + x / 2, pcw);
        }
    }

    /** Extracts a region of a full frame as tightly packed I420. */
    public static byte[] crop(byte[] frame, int frameWidth, int frameHeight, int x, int y, int w, int h) {
        byte[] out = new byte[size(w, h)];
        for (int row = 0; row < h; row++) {
            System.arraycopy(frame, (y + row) * frameWidth + x, out, row * w, w);
        }
        int fcw = frameWidth / 2, fch = frameHeight / 2, cw = w / 2, ch = h / 2;
        int fu = frameWidth * frameHeight, fv = fu + fcw * fch;
        int pu = w * h, pv = pu + cw * ch;
        for (int row = 0; row < ch; row++) {
            System.arraycopy(frame, fu + (y / 2 + row) * fcw + x / 2, out, pu + row * cw, cw);
            System.arraycopy(frame, fv + (y / 2 + row) * fcw + x / 2, out, pv + row * cw, cw);
        }
        return out;
    }

    /** Mean luma of a rectangle: a cheap "what does this region look like" probe for tests and receivers. */
    public static double meanLuma(byte[] frame, int frameWidth, int x, int y, int w, int h) {
        long sum = 0;
        for (int row = y; row < y + h; row++) {
            int base = row * frameWidth;
            for (int col = x; col < x + w; col++) {
                sum += frame[base + col] & 0xff;
            }
        }
        return (double) sum / ((long) w * h);
    }
}
