package io.facecast.renderer.avatar;

/** An even-aligned rectangle of the frame (I420 chroma is subsampled 2x2, so patches must start and end on even pixels). */
public record Region(int x, int y, int width, int height) {
    public Region {
        if ((x | y | width | height) < 0 || ((x | y | width | height) & 1) != 0) {
            throw new IllegalArgumentException("region must be even and non-negative: " + x + "," + y + " " + width + "x" + height);
        }
    }

    /** The smallest even-aligned region covering [x0, x1) x [y0, y1), clipped to the frame. */
    public static Region covering(double x0, double y0, double x1, double y1, int frameWidth, int frameHeight) {
        int ex0 = Math.max(0, ((int) Math.floor(x0)) & ~1);
        int ey0 = Math.max(0, ((int) Math.floor(y0)) & ~1);
        int ex1 = Math.min(frameWidth, (((int) Math.ceil(x1)) + 1) & ~1);
        int ey1 = Math.min(frameHeight, (((int) Math.ceil(y1)) + 1) & ~1);
        return new Region(ex0, ey0, ex1 - ex0, ey1 - ey0);
    }
}
