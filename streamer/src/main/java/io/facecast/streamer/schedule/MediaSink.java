package io.facecast.streamer.schedule;

/**
 * Where one session's paced media goes (the WebRTC sources of its peer). Called on the scheduler thread at each
 * item's due time: an implementation copies what it needs before returning (the arrays are reused) and must not
 * block, or every session of the streamer is late.
 */
public interface MediaSink {
    /** A full composed I420 frame, tightly packed, {@code width x height}. */
    void pushVideo(byte[] i420, int width, int height);

    /**
     * The same picture as the frame pushed last, due now: a sink that keeps what it sent last may send that again
     * without copying {@code i420} (which holds the same picture, for a sink that does not).
     */
    default void repeatVideo(byte[] i420, int width, int height) {
        pushVideo(i420, width, height);
    }

    /** Exactly 10 ms of s16le PCM ({@code sampleRate / 100} samples per channel): WebRTC drops any other size. */
    void pushAudio(byte[] pcm, int sampleRate, int channels);
}
