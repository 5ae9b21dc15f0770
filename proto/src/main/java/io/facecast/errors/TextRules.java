package io.facecast.errors;

/**
 * The one length rule for text a client sends to be spoken (Speak.text, SpeakAudio captions): at most
 * {@link #MAX_TEXT_CHARS} characters, counted as Unicode code points so an emoji counts once whatever its UTF-16
 * length. Signaling checks it at the edge and the renderer again, with this same rule.
 */
public final class TextRules {

    /** Also documented on Facecast.Speak in facecast.proto. */
    public static final int MAX_TEXT_CHARS = 2000;

    private TextRules() {}

    public static int characters(String text) {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }

    /** @throws FacecastException INVALID_ARGUMENT naming the count and the limit */
    public static void requireWithinLimit(String what, String text) {
        int characters = characters(text);
        if (characters > MAX_TEXT_CHARS) {
            throw FacecastException.invalid(what + " is " + characters + " characters; the limit is " + MAX_TEXT_CHARS
                    + " (split it into several utterances)");
        }
    }

    /**
     * True when the text has at least one letter or digit, i.e. something a voice can say; text of only emoji,
     * symbols or punctuation gives no speech.
     */
    public static boolean hasSpeakable(String text) {
        return text != null && text.codePoints().anyMatch(Character::isLetterOrDigit);
    }
}
