package io.facecast.renderer.session;

import java.util.regex.Pattern;

/**
 * The text of a SEGMENT_END that ended an utterance early ("CODE: message"), which the client receives as an Error
 * event once what was rendered has played. It names the backend and the cause; credentials and URL queries are cut
 * out first, since a backend's own message may echo them.
 */
final class SegmentFailure {
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)\\S+");
    private static final Pattern KEY = Pattern.compile("(?i)((?:api[_-]?key|token|secret|password)\\s*[=:]\\s*)\\S+");
    private static final Pattern QUERY = Pattern.compile("(https?://[^\\s?#]+)[?#]\\S*");
    static final int MAX_MESSAGE = 300;

    private SegmentFailure() {
    }

    /** A TTS backend failed while synthesizing sentence {@code sentence} (1-based) of {@code sentences}. */
    static String tts(String voice, int sentence, int sentences, RuntimeException e) {
        return "UNAVAILABLE: " + backend(voice) + " (voice '" + voice + "') failed at sentence " + sentence + " of "
                + sentences + ", so the utterance ended there: " + clean(e.getMessage() == null
                ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** An upload failed; what was accepted before it played. */
    static String upload(String cause) {
        return "INVALID_ARGUMENT: the uploaded audio failed, so the utterance ended after what was received: " + clean(cause);
    }

    static String backend(String voice) {
        if (voice != null && voice.startsWith("espeak:")) return "the espeak-ng backend";
        if (voice != null && voice.startsWith("http:")) return "the HTTP speech backend";
        return "the FreeTTS backend";
    }

    static String clean(String message) {
        String m = BEARER.matcher(message).replaceAll("$1***");
        m = KEY.matcher(m).replaceAll("$1***");
        m = QUERY.matcher(m).replaceAll("$1");
        m = m.replaceAll("[\\r\\n]+", " ");
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }
}
