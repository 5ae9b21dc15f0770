package io.facecast.renderer.viseme;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** ARPAbet phoneme (as FreeTTS's CMU lexicon spells it, lowercase, "pau" for silence) to mouth shape. */
public final class PhonemeVisemes {
    private static final Map<String, MouthShape> SHAPES = new HashMap<>();

    static {
        put(MouthShape.A, "m", "b", "p");
        put(MouthShape.B, "k", "g", "s", "z", "t", "d", "n", "ng", "y", "iy", "ih", "sh", "zh", "ch", "jh", "th", "dh", "hh", "r", "er", "ax");
        put(MouthShape.C, "eh", "ae", "ah", "ey");
        put(MouthShape.D, "aa", "ay", "aw");
        put(MouthShape.E, "ao", "ow", "oy");
        put(MouthShape.F, "uw", "uh", "w");
        put(MouthShape.G, "f", "v");
        put(MouthShape.H, "l", "el");
        put(MouthShape.X, "pau", "sil", "h#", "brth");
    }

    private PhonemeVisemes() {}

    private static void put(MouthShape shape, String... phonemes) {
        for (String p : phonemes) {
            SHAPES.put(p, shape);
        }
    }

    /** Unknown symbols get B, the neutral "talking" shape, so an odd phoneme never freezes or slams the mouth. */
    public static MouthShape shapeOf(String phoneme) {
        if (phoneme == null) {
            return MouthShape.X;
        }
        String p = phoneme.toLowerCase(Locale.ROOT).replaceAll("[0-9]", "");
        return SHAPES.getOrDefault(p, MouthShape.B);
    }
}
