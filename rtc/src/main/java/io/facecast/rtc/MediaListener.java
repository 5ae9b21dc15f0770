package io.facecast.rtc;

/**
 * Receives what a {@link ReceivingPeer} decodes. Called on native media threads: copy or queue, do not block.
 * The arrays are fresh copies that the listener may keep.
 */
public interface MediaListener {
    /** One decoded frame as tightly packed I420 (Y, then U, then V). */
    void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos);

    /** 10 ms of signed 16-bit little-endian mono PCM (48 kHz in practice). */
    void onAudio(byte[] pcm, int sampleRate, long arrivalNanos);
}
