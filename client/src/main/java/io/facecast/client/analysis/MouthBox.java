package io.facecast.client.analysis;

/**
 * Where the default avatar's mouth is, in any frame size. The avatar is drawn on a 512x512 design canvas scaled by
 * {@code min(width, height) / 512} and centred (letterboxed), so the box is derived the same way. The box is the
 * inside of the renderer's mouth region (188..324 x 294..378 on the design canvas) with a margin, so codec ringing at
 * the patch edges does not dilute a flash.
 */
public record MouthBox(int x, int y, int width, int height) {
    private static final double DESIGN = 512.0;
    private static final double X0 = 200, Y0 = 304, X1 = 312, Y1 = 368;

    public MouthBox {
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("invalid mouth box " + x + "," + y + " " + width + "x" + height);
        }
    }

    public static MouthBox forFrame(int frameWidth, int frameHeight) {
        if (frameWidth <= 0 || frameHeight <= 0) {
            throw new IllegalArgumentException("invalid frame size " + frameWidth + "x" + frameHeight);
        }
        double s = Math.min(frameWidth, frameHeight) / DESIGN;
        double ox = (frameWidth - DESIGN * s) / 2;
        double oy = (frameHeight - DESIGN * s) / 2;
        int x0 = (int) Math.ceil(ox + X0 * s);
        int y0 = (int) Math.ceil(oy + Y0 * s);
        int x1 = (int) Math.floor(ox + X1 * s);
        int y1 = (int) Math.floor(oy + Y1 * s);
        return new MouthBox(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }
}
