package io.facecast.rtc;

/**
 * Receives what a {@link ReceivingPeer} decodes. Called on native media threads: copy or queue, do not block.
 * The arrays are fresh copies that the listener may keep.
 */
public interface MediaListener {
    /** One decoded frame as tightly packed I420 (Y, then U, then V). */
    void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos);

    /**
     * As above, with the frame's render time: libwebrtc hands a native sink each frame as soon as it is decoded and
     * stamps it with the time it should be shown (after its jitter buffer and A/V sync delay), on the same monotonic
     * clock as {@link System#nanoTime()}. A player shows it then; so should anything that measures lip-sync.
     */
    default void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos, long renderNanos) {
        onVideoFrame(i420, width, height, arrivalNanos);
    }

    /** 10 ms of signed 16-bit little-endian mono PCM (48 kHz in practice). */
    void onAudio(byte[] pcm, int sampleRate, long arrivalNanos);
}
