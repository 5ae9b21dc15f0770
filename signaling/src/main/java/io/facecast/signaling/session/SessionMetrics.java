package io.facecast.signaling.session;

/**
 * What {@link SessionManager} tells the process's metrics (placement, speech timings). Calls are cheap and never
 * throw; times are the manager's injected nanoTime.
 */
public interface SessionMetrics {
    SessionMetrics NONE = new SessionMetrics() {};

    /** A session was placed on a streamer. */
    default void placed() {}

    /** Placement was refused with this status code (RESOURCE_EXHAUSTED: all full; UNAVAILABLE: none reachable). */
    default void placementRefused(io.grpc.Status.Code code) {}

    /** The renderer accepted an utterance; the Speak request arrived at {@code receivedNanos}. */
    default void speakAccepted(String sessionId, long utteranceId, long receivedNanos, long acceptedNanos) {}

    /** The streamer reported the utterance's first frame pushed (speech started event) at {@code nowNanos}. */
    default void speechStarted(String sessionId, long utteranceId, long nowNanos) {}

    /** An Interrupt was confirmed by the streamer (speech off the wire at its next chunk) after {@code nanos}. */
    default void interruptConfirmed(String sessionId, long nanos) {}

    /** The session is gone: forget what is pending for it. */
    default void sessionClosed(String sessionId) {}

    /** Events waiting in watchers' bounded queues went up (+n) or down (-n). */
    default void eventsQueued(int delta) {}

    /** A watcher was cut off for falling behind. */
    default void slowConsumerDropped() {}
}
