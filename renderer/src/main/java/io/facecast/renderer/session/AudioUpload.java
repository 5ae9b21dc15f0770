package io.facecast.renderer.session;

/**
 * The receiving end of one supplied-audio utterance (see {@link RenderSessions#speakAudio}). Calls come from one
 * thread at a time, in stream order. Whatever has been accepted is spoken even when the stream later fails.
 */
public interface AudioUpload {
    /** Largest accepted chunk; gRPC's default message limit is 4 MiB and small chunks keep latency low anyway. */
    int MAX_CHUNK_BYTES = 1 << 20;
    /** Longest utterance, in seconds of source audio. */
    int MAX_SECONDS = 600;
    /** Most bytes one upload may carry (600 s of 48 kHz stereo is ~110 MiB). */
    long MAX_BYTES = 128L << 20;

    /**
     * @throws io.facecast.renderer.RendererException INVALID_ARGUMENT for bytes that do not match the declared format,
     *         an oversized chunk or stream; the utterance then ends with what was accepted before
     */
    void accept(byte[] chunk);

    /**
     * The upload is complete.
     *
     * @throws io.facecast.renderer.RendererException INVALID_ARGUMENT for truncated data or a stream without audio
     */
    void finish();

    /** The sender went away: speak what arrived, quietly. */
    void abort();

    /**
     * Flow control: returns true when the upload has room for another chunk now; otherwise returns false and runs
     * {@code onRoom} once (on the render thread) when it has, so the caller requests the next message only then.
     */
    default boolean hasRoom(Runnable onRoom) {
        return true;
    }
}
