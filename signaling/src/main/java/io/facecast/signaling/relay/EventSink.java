package io.facecast.signaling.relay;

import io.facecast.api.v1.SessionEvent;

/** One watcher of one session's events. Calls arrive serialized by the session's {@link EventFanout}. */
public interface EventSink {

    void send(SessionEvent event);

    /** The session is over; end the stream. */
    void complete();

    /**
     * Ends the stream with an error status the client can act on (e.g. UNAVAILABLE: this replica is shutting down,
     * watch again through another). Sinks that cannot carry a status just end.
     */
    default void fail(io.grpc.Status status) {
        complete();
    }
}
