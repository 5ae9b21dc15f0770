package io.facecast.streamer.schedule;

import java.util.Objects;

/**
 * What a session's timeline is built from, fixed for its life: the frame size (the renderer's records must match),
 * the frame rate, the audio sample rate (mono) and the seed that makes its idle blinking deterministic.
 */
public record SessionSpec(String sessionId, int width, int height, int fps, int sampleRate, long blinkSeed) {
    public static final int DEFAULT_SAMPLE_RATE = io.facecast.bus.MediaFormat.SAMPLE_RATE;

    public SessionSpec {
        Objects.requireNonNull(sessionId, "sessionId");
        if (sessionId.isEmpty()) {
            throw new IllegalArgumentException("sessionId must not be empty");
        }
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("frame size must be positive and even for I420, got " + width + "x" + height);
        }
        if (!io.facecast.bus.MediaFormat.isSupportedFps(fps)) {
            throw new IllegalArgumentException("fps must be 24, 25 or 30, got " + fps);
        }
        if (sampleRate != 16_000 && sampleRate != 24_000 && sampleRate != 48_000) {
            throw new IllegalArgumentException("sample rate must be 16000, 24000 or 48000 Hz, got " + sampleRate);
        }
    }

    /** 48 kHz, blink seed derived from the session id (stable across restarts). */
    public static SessionSpec of(String sessionId, int width, int height, int fps) {
        return new SessionSpec(sessionId, width, height, fps, DEFAULT_SAMPLE_RATE, sessionId.hashCode());
    }
}
