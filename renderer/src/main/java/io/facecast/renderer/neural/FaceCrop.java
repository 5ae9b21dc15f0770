package io.facecast.renderer.neural;

import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.avatar.Rgb2I420;

/**
 * Where the model looks and where its answer goes. The face box is a square around the avatar's mouth region with the
 * mouth in its lower half (where Wav2Lip's face crops have it: from the eyebrows to the chin), kept inside the frame.
 * The box is shrunk (area-averaged) to the model's S x S input and the model's S x S output is sampled back
 * (bilinear) over the mouth region only, blended into the idle face over a few pixels at the region's edges so the
 * patch shows no seam.
 */
public final class FaceCrop {
    /** Face box side in mouth-region widths; 2.2 frames the default avatar's head from brows to chin. */
    static final double SIDE_PER_MOUTH_WIDTH = 2.2;
    /** Height of the mouth centre in the box, from the top: Wav2Lip's crops have the mouth at about 3/4. */
    static final double MOUTH_CENTRE_Y = 0.75;
    static final int FEATHER = 6;

    private final int frameWidth, frameHeight;
    private final int boxX, boxY, side;
    private final Region mouth;
    private final int size;

    FaceCrop(int frameWidth, int frameHeight, int boxX, int boxY, int side, Region mouth, int size) {
        if (boxX < 0 || boxY < 0 || boxX + side > frameWidth || boxY + side > frameHeight || side < 2) {
            throw new IllegalArgumentException("face box " + side + "@" + boxX + "," + boxY + " outside " + frameWidth + "x" + frameHeight);
        }
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        this.boxX = boxX;
        this.boxY = boxY;
        this.side = side;
        this.mouth = mouth;
        this.size = size;
    }

    /** The face box of an avatar whose mouth is {@code mouth}, for a model taking {@code size} x {@code size} crops. */
    public static FaceCrop around(Region mouth, int frameWidth, int frameHeight, int size) {
        int side = (int) Math.round(SIDE_PER_MOUTH_WIDTH * Math.max(mouth.width(), mouth.height()));
        side = Math.max(2, Math.min(side, Math.min(frameWidth, frameHeight)));
        double cx = mouth.x() + mouth.width() / 2.0, cy = mouth.y() + mouth.height() / 2.0;
        int x = clamp((int) Math.round(cx - side / 2.0), 0, frameWidth - side);
        int y = clamp((int) Math.round(cy - MOUTH_CENTRE_Y * side), 0, frameHeight - side);
        return new FaceCrop(frameWidth, frameHeight, x, y, side, mouth, size);
    }

    public int boxX() { return boxX; }
    public int boxY() { return boxY; }
    public int side() { return side; }
    public int size() { return size; }
    public Region mouth() { return mouth; }

    /** The model's face input [6, S, S] from the whole frame (RGB ints): the crop with its lower half black, then the crop. */
    public float[] input(int[] frameRgb) {
        float[] ref = shrink(frameRgb);
        int plane = size * size;
        float[] out = new float[6 * plane];
        System.arraycopy(ref, 0, out, 3 * plane, 3 * plane);
        for (int c = 0; c < 3; c++) {
            System.arraycopy(ref, c * plane, out, c * plane, (size / 2) * size); // rows below S/2 stay 0
        }
        return out;
    }

    /** The box area-averaged to S x S: B, G, R planes in [0, 1]. */
    float[] shrink(int[] frameRgb) {
        int plane = size * size;
        float[] out = new float[3 * plane];
        double step = (double) side / size;
        for (int v = 0; v < size; v++) {
            int y0 = boxY + (int) Math.floor(v * step), y1 = Math.max(y0 + 1, boxY + (int) Math.floor((v + 1) * step));
            for (int u = 0; u < size; u++) {
                int x0 = boxX + (int) Math.floor(u * step), x1 = Math.max(x0 + 1, boxX + (int) Math.floor((u + 1) * step));
                long r = 0, g = 0, b = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int p = frameRgb[y * frameWidth + x];
                        r += p >> 16 & 0xff;
                        g += p >> 8 & 0xff;
                        b += p & 0xff;
                    }
                }
                float n = 255f * (y1 - y0) * (x1 - x0);
                int i = v * size + u;
                out[i] = b / n;
                out[plane + i] = g / n;
                out[2 * plane + i] = r / n;
            }
        }
        return out;
    }

    /** The model's output [3, S, S] (B, G, R in [0, 1]) over the mouth region, feathered into {@code frameRgb}. */
    public int[] mouthRgb(float[] output, int[] frameRgb) {
        int plane = size * size;
        if (output.length != 3 * plane) {
            throw new IllegalArgumentException("model output has " + output.length + " values, expected 3x" + size + "x" + size);
        }
        int w = mouth.width(), h = mouth.height();
        int[] out = new int[w * h];
        double scale = (double) size / side;
        for (int row = 0; row < h; row++) {
            int fy = mouth.y() + row;
            double v = clamp((fy + 0.5 - boxY) * scale - 0.5, 0, size - 1);
            int v0 = (int) v, v1 = Math.min(v0 + 1, size - 1);
            double fv = v - v0;
            for (int col = 0; col < w; col++) {
                int fx = mouth.x() + col;
                double u = clamp((fx + 0.5 - boxX) * scale - 0.5, 0, size - 1);
                int u0 = (int) u, u1 = Math.min(u0 + 1, size - 1);
                double fu = u - u0;
                double a = Math.min(1.0, (double) Math.min(Math.min(col, w - 1 - col), Math.min(row, h - 1 - row)) / FEATHER);
                int base = frameRgb[fy * frameWidth + fx];
                int rgb = 0;
                for (int c = 0; c < 3; c++) { // c: B, G, R plane; shift into 0xRRGGBB
                    int off = c * plane;
                    double s = (1 - fv) * ((1 - fu) * output[off + v0 * size + u0] + fu * output[off + v0 * size + u1])
                            + fv * ((1 - fu) * output[off + v1 * size + u0] + fu * output[off + v1 * size + u1]);
                    double model = clamp(s, 0, 1) * 255;
                    int shift = 8 * c;
                    double blended = a * model + (1 - a) * (base >> shift & 0xff);
                    rgb |= (int) Math.round(blended) << shift;
                }
                out[row * w + col] = rgb;
            }
        }
        return out;
    }

    /** The I420 patch of the mouth region showing the model's output. */
    public byte[] mouthPatch(float[] output, int[] frameRgb) {
        return Rgb2I420.convert(mouthRgb(output, frameRgb), mouth.width(), mouth.height());
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
