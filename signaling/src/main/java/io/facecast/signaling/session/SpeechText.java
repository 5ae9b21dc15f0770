package io.facecast.signaling.session;

import io.facecast.errors.FacecastException;
import io.facecast.errors.TextRules;
import io.grpc.Status;

/**
 * The text rule of Speak: trimmed, 1..{@link TextRules#MAX_TEXT_CHARS} characters (code points, the one rule
 * signaling and the renderer share), with at least one letter or digit: text of only emoji or punctuation would give
 * a silent utterance, so it is refused instead.
 */
public final class SpeechText {

    public static final int MAX_TEXT_CHARS = TextRules.MAX_TEXT_CHARS;

    private SpeechText() {}

    public static String normalize(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("text is empty").asRuntimeException();
        }
        try {
            TextRules.requireWithinLimit("text", trimmed);
        } catch (FacecastException e) {
            throw e.toStatusException();
        }
        if (!TextRules.hasSpeakable(trimmed)) {
            throw Status.INVALID_ARGUMENT.withDescription("text has nothing speakable (no letter or digit): "
                    + "emoji, symbols and punctuation alone give no speech").asRuntimeException();
        }
        return trimmed;
    }
}
