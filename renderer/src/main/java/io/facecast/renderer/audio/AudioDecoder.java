package io.facecast.renderer.audio;

/**
 * Turns the byte chunks of a supplied-audio stream into mono s16 samples at {@link #sampleRate()}. Chunk boundaries
 * may fall anywhere, even inside a sample. Not thread-safe: one stream, one caller at a time.
 */
public interface AudioDecoder {
    /**
     * @return the mono samples completed by this chunk, possibly none
     * @throws io.facecast.renderer.RendererException INVALID_ARGUMENT when the bytes are not what the stream declared
     */
    short[] decode(byte[] chunk);

    /** Source rate in Hz, 0 while not yet known (a WAV stream before its header). */
    int sampleRate();

    /**
     * The stream ended.
     *
     * @throws io.facecast.renderer.RendererException INVALID_ARGUMENT when it ended inside a header or sample
     */
    void finish();
}
