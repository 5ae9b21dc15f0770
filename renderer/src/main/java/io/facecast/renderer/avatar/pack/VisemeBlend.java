package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.viseme.MouthParams;
import io.facecast.renderer.viseme.MouthShape;

/**
 * Continuous mouth poses onto a pack's nine images. The pipeline's poses glide between shapes (co-articulation and
 * smoothing); an image pack has only the shapes themselves. A pose shows its nearest shape, cross-faded with the
 * second nearest as the two become equally near: exactly halfway the two images are mixed 50/50, and the mix falls
 * off with the square of the distance ratio, so a pose close to one shape shows that shape crisply rather than a
 * ghost of two mouths.
 *
 * @param secondWeight weight of {@code second} in [0, 0.5]; {@code first} gets the rest
 */
public record VisemeBlend(MouthShape first, MouthShape second, double secondWeight) {
    /** Openness matters most to the eye, then roundness, then width. */
    private static final double W_OPEN = 1.0, W_WIDTH = 0.6, W_ROUND = 0.8;

    public static VisemeBlend of(MouthParams p) {
        MouthShape best = null, next = null;
        double dBest = Double.MAX_VALUE, dNext = Double.MAX_VALUE;
        for (MouthShape s : MouthShape.values()) {
            double d = distance(p, s.pose);
            if (d < dBest) {
                next = best;
                dNext = dBest;
                best = s;
                dBest = d;
            } else if (d < dNext) {
                next = s;
                dNext = d;
            }
        }
        double ratio = dNext == 0 ? 1 : dBest / dNext;
        return new VisemeBlend(best, next, 0.5 * ratio * ratio);
    }

    static double distance(MouthParams a, MouthParams b) {
        double o = W_OPEN * (a.openness() - b.openness());
        double w = W_WIDTH * (a.width() - b.width());
        double r = W_ROUND * (a.roundness() - b.roundness());
        return Math.sqrt(o * o + w * w + r * r);
    }
}
