package io.facecast.signaling.relay;

import io.facecast.api.v1.SessionEvent;

/** One watcher of one session's events. Calls arrive serialized by the session's {@link EventFanout}. */
public interface EventSink {

    void send(SessionEvent event);

    /** The session is over; end the stream. */
    void complete();
}
