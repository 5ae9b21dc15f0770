package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.viseme.MouthParams;
import io.facecast.renderer.viseme.MouthShape;

/**
 * Continuous mouth poses onto a pack's nine images. The pipeline's poses glide between shapes (co-articulation and
 * smoothing); an image pack has only the shapes themselves. A pose shows its nearest shape cross-faded with the second
 * nearest. The mix must change continuously as the pose moves, including where the second and third nearest shapes
 * trade places, so each of the two nearest is weighted by how much nearer it is than the third (d3 - d): equally
 * near shapes mix 50/50, and a second shape only as near as the third gets no weight. That share is scaled by
 * d1 / d2 (1 at a tie), so a pose on a shape shows exactly its image and one close to it shows it crisply rather than
 * a ghost of two mouths.
 *
 * @param secondWeight weight of {@code second} in [0, 0.5]; {@code first} gets the rest
 */
public record VisemeBlend(MouthShape first, MouthShape second, double secondWeight) {
    /** Openness matters most to the eye, then roundness, then width. */
    private static final double W_OPEN = 1.0, W_WIDTH = 0.6, W_ROUND = 0.8;

    public static VisemeBlend of(MouthParams p) {
        MouthShape s1 = null, s2 = null;
        double d1 = Double.MAX_VALUE, d2 = Double.MAX_VALUE, d3 = Double.MAX_VALUE;
        for (MouthShape s : MouthShape.values()) {
            double d = distance(p, s.pose);
            if (d < d1) {
                d3 = d2;
                s2 = s1;
                d2 = d1;
                s1 = s;
                d1 = d;
            } else if (d < d2) {
                d3 = d2;
                s2 = s;
                d2 = d;
            } else if (d < d3) {
                d3 = d;
            }
        }
        double u1 = d3 - d1, u2 = d3 - d2;
        double share = u1 + u2 <= 1e-12 ? 0.5 : u2 / (u1 + u2); // in [0, 0.5]: 0.5 at a tie, 0 when d2 = d3
        double closeness = d2 <= 1e-12 ? 1 : d1 / d2;            // 1 at a tie, 0 exactly on the first shape
        return new VisemeBlend(s1, s2, share * closeness);
    }

    static double distance(MouthParams a, MouthParams b) {
        double o = W_OPEN * (a.openness() - b.openness());
        double w = W_WIDTH * (a.width() - b.width());
        double r = W_ROUND * (a.roundness() - b.roundness());
        return Math.sqrt(o * o + w * w + r * r);
    }
}
