package io.facecast.renderer.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a word of the synthesized text starts: its place in that text (UTF-16 offset and length) and the sample of
 * its first phoneme, in the speech's own sample clock. Engines that report words (FreeTTS) give these; speech from
 * an audio-only backend has none.
 */
public record WordTiming(int textOffset, int textLength, int startSample) {
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)*");
    /** How many text tokens an engine word may skip ahead (e.g. punctuation-only or unspoken tokens). */
    private static final int MAX_SKIP = 3;

    /**
     * Places engine words (lowercase names, in spoken order, with their start samples) on the text's tokens: each
     * word goes to the next token (within {@link #MAX_SKIP}) that reads the same; a word no token matches (an
     * expanded number, "42" spoken as "forty two") gets no timing rather than a wrong one.
     */
    public static List<WordTiming> align(String text, List<String> names, List<Integer> startSamples) {
        List<int[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(new int[] {m.start(), m.end()});
        }
        List<WordTiming> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = normalize(names.get(i));
            for (int q = next; q < Math.min(tokens.size(), next + MAX_SKIP + 1); q++) {
                int[] t = tokens.get(q);
                if (normalize(text.substring(t[0], t[1])).equals(name)) {
                    out.add(new WordTiming(t[0], t[1] - t[0], startSamples.get(i)));
                    next = q + 1;
                    break;
                }
            }
        }
        return out;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
