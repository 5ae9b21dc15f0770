package io.facecast.renderer.tts.espeak;

import io.facecast.renderer.viseme.MouthShape;
import io.facecast.renderer.viseme.PhonemeVisemes;

import java.util.HashMap;
import java.util.Map;

/**
 * espeak-ng phoneme mnemonics (its own alphabet: "oU", "3:", "@@", "a#", "_:") to the nearest ARPAbet phoneme, so
 * the mouth poses come from the one viseme table ({@link PhonemeVisemes}) whatever the engine. English mnemonics
 * are listed; other languages' phonemes mostly share their first letter's articulation (a*, e*, i*, o*, u*, y* are
 * vowels of that quality; p/b/m close the lips, f/v bite, w/u/y round), which the fallback uses.
 */
public final class EspeakPhonemes {
    private static final Map<String, String> ARPABET = new HashMap<>();

    static {
        // vowels and diphthongs (en, en-us)
        put("ae", "a");
        put("ax", "a#", "@", "@2", "@5", "I#");
        put("aa", "A:", "A@", "aa", "A", "0", "A#");
        put("ay", "aI", "aI@", "aI3");
        put("aw", "aU", "aU@");
        put("er", "@@", "3", "3:", "3:r", "VR");
        put("el", "@L");
        put("eh", "e", "E", "e@", "E2", "E@");
        put("ey", "eI");
        put("iy", "i", "i:", "i@", "i@3");
        put("ih", "I", "I2", "I@");
        put("ao", "O", "O:", "O@", "o@", "O2", "o");
        put("ow", "oU", "@U", "O@r");
        put("oy", "OI");
        put("uw", "u:", "u", "U@", "y", "y:", "Y");
        put("uh", "U");
        put("ah", "V", "a2");
        // consonants
        put("th", "T");
        put("dh", "D");
        put("sh", "S", "S;");
        put("zh", "Z", "Z;");
        put("ch", "tS", "tS;");
        put("jh", "dZ", "dZ;");
        put("ng", "N");
        put("y", "j");
        put("hh", "h", "x", "C", "?");
        put("r", "r", "r-", "R", "*", "r/");
        put("l", "l", "L", "l/", "l^");
        put("t", "t", "t#", "t2", "ts");
        put("d", "d", "d#", "d2");
        put("n", "n", "n-", "n^", "N^");
        put("p", "p", "pf");
        put("pau", "_", "_:", "_!", "_|", "_^", "_;");
    }

    private EspeakPhonemes() {}

    private static void put(String arpabet, String... mnemonics) {
        for (String m : mnemonics) {
            ARPABET.put(m, arpabet);
        }
    }

    /** The nearest ARPAbet phoneme (lowercase, "pau" for pauses) to an espeak-ng phoneme mnemonic. */
    public static String toArpabet(String mnemonic) {
        if (mnemonic == null || mnemonic.isEmpty() || mnemonic.charAt(0) == '_') {
            return "pau";
        }
        String exact = ARPABET.get(mnemonic);
        if (exact != null) {
            return exact;
        }
        // stress marks, length (":"), palatalisation (";") and variant digits do not change the mouth
        String base = mnemonic.replaceAll("[':;,0-9]+$", "").replaceAll("^[',]+", "");
        exact = base.isEmpty() ? null : ARPABET.get(base);
        if (exact != null) {
            return exact;
        }
        return byFirstLetter(base.isEmpty() ? mnemonic : base);
    }

    /** Mouth shape of an espeak-ng phoneme mnemonic. */
    public static MouthShape shapeOf(String mnemonic) {
        return PhonemeVisemes.shapeOf(toArpabet(mnemonic));
    }

    private static String byFirstLetter(String m) {
        return switch (m.charAt(0)) {
            case 'a', 'A', '&' -> "aa";
            case 'e', 'E' -> "eh";
            case 'i', 'I' -> "iy";
            case 'o', 'O', '0' -> "ao";
            case 'u', 'U', 'y', 'Y', 'W' -> "uw";
            case '@', '3', 'V' -> "ax";
            case 'm' -> "m";
            case 'b' -> "b";
            case 'p' -> "p";
            case 'f', 'v' -> "f";
            case 'w' -> "w";
            case 'l', 'L' -> "l";
            default -> "t"; // other consonants: teeth nearly together, the neutral talking shape
        };
    }
}
