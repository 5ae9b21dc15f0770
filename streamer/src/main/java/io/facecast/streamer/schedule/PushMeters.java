package io.facecast.streamer.schedule;

/**
 * What the scheduler thread reports as it pushes (the process's metrics). Called for every 10 ms chunk and every
 * frame: implementations record into meters registered up front, allocate nothing and never block.
 */
public interface PushMeters {
    PushMeters NONE = new PushMeters() {};

    /** An audio chunk was pushed {@code errorNanos} after its due time. */
    default void audioPushed(long errorNanos) {}

    /** A video frame was pushed {@code errorNanos} after its due time. */
    default void videoPushed(long errorNanos) {}

    /**
     * The sink's push call (into the native WebRTC sources: a JNI call and a frame copy) took {@code nanos} of the
     * scheduler thread; every session behind it waits that long.
     */
    default void pushTook(boolean video, long nanos) {}

    /** A video frame showed the same picture as the one before: the sink sent its last frame again (no copy). */
    default void videoRepeated() {}

    /** A video frame was skipped: the scheduler was more than a frame late. */
    default void videoSkipped() {}

    /** The renderer was late: a segment started holding (audio underrun: silence instead of speech). */
    default void stallStarted() {}

    /** One frame was held because the renderer was late. */
    default void frameStalled() {}

    /**
     * The first frame of an utterance was pushed; {@code busToPushNanos} since its record was appended to the bus
     * (negative when unknown). Once per utterance.
     */
    default void firstFramePushed(String sessionId, long utteranceId, long busToPushNanos) {}

    /** The first audio chunk after an interrupt that cut speech was pushed, {@code nanos} after the interrupt. */
    default void silencedAfterInterrupt(long nanos) {}
}
