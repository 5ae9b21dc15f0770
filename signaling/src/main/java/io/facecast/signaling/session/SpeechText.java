package io.facecast.signaling.session;

import io.grpc.Status;

/** The text rule of Speak: trimmed, 1..MAX_TEXT_CHARS characters (code points, so an emoji counts once). */
public final class SpeechText {

    /** Also documented on Facecast.Speak in facecast.proto. */
    public static final int MAX_TEXT_CHARS = 2000;

    private SpeechText() {}

    public static String normalize(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("text is empty").asRuntimeException();
        }
        int characters = trimmed.codePointCount(0, trimmed.length());
        if (characters > MAX_TEXT_CHARS) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("text is " + characters + " characters; the limit is " + MAX_TEXT_CHARS)
                    .asRuntimeException();
        }
        return trimmed;
    }
}
