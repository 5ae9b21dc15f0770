package io.facecast.renderer.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into sentences so speech can be synthesized and streamed one sentence at a time: the first frames only
 * wait for the first sentence. A boundary is sentence punctuation (. ! ? …, with closing quotes or brackets) followed
 * by white space, or a line break; common abbreviations, single-letter initials and punctuation followed by a
 * lower-case word do not end a sentence. A sentence
 * longer than {@link #MAX_CHARS} is cut at its last comma, semicolon or colon (else its last space) within the limit,
 * so one unpunctuated paragraph cannot delay the first frame by its whole length. Pieces without a letter or digit
 * are joined to their neighbour: a synthesizer has nothing to say for "...".
 */
public final class SentenceSplitter {
    public static final int MAX_CHARS = 240;
    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs",
            "etc", "e.g", "i.e", "no", "fig", "mt", "approx", "inc", "ltd", "co");

    private SentenceSplitter() {}

    public static List<String> split(String text) {
        List<String> raw = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                add(raw, text.substring(start, i));
                start = i + 1;
                continue;
            }
            if (c != '.' && c != '!' && c != '?' && c != '…') {
                continue;
            }
            int end = i + 1;
            while (end < n && "\"'”’)]".indexOf(text.charAt(end)) >= 0) {
                end++;
            }
            if (end < n && !Character.isWhitespace(text.charAt(end))) {
                continue; // 3.14, e.g. inside a word, "?!"
            }
            if (c == '.' && isAbbreviation(text, start, i) || nextWordIsLowercase(text, end)) {
                continue;
            }
            add(raw, text.substring(start, end));
            start = end;
            i = end - 1;
        }
        add(raw, text.substring(start));
        return joinEmpty(raw);
    }

    /** "p.m. today", "\"Really?\" she asked": a sentence does not go on in lower case. */
    private static boolean nextWordIsLowercase(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return false;
            }
            if (!Character.isWhitespace(c)) {
                return Character.isLowerCase(c);
            }
        }
        return false;
    }

    private static boolean isAbbreviation(String text, int from, int dot) {
        int w = dot;
        while (w > from && !Character.isWhitespace(text.charAt(w - 1))) {
            w--;
        }
        String word = text.substring(w, dot).toLowerCase(Locale.ROOT);
        return ABBREVIATIONS.contains(word) || (word.length() == 1 && Character.isLetter(word.charAt(0))
                && Character.isUpperCase(text.charAt(w)));
    }

    private static void add(List<String> out, String piece) {
        String s = piece.strip();
        while (s.length() > MAX_CHARS) {
            int cut = cutPoint(s);
            out.add(s.substring(0, cut).strip());
            s = s.substring(cut).strip();
        }
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    private static int cutPoint(String s) {
        int best = -1;
        for (int i = MAX_CHARS - 1; i > MAX_CHARS / 3; i--) {
            char c = s.charAt(i);
            if ((c == ',' || c == ';' || c == ':') && Character.isWhitespace(s.charAt(i + 1))) {
                return i + 1;
            }
            if (best < 0 && Character.isWhitespace(c)) {
                best = i;
            }
        }
        return best > 0 ? best : MAX_CHARS;
    }

    private static List<String> joinEmpty(List<String> pieces) {
        List<String> out = new ArrayList<>();
        for (String p : pieces) {
            boolean speakable = p.codePoints().anyMatch(Character::isLetterOrDigit);
            if (!speakable && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + p);
            } else if (speakable && !out.isEmpty() && !out.get(out.size() - 1).codePoints().anyMatch(Character::isLetterOrDigit)) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + p);
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
