package io.facecast.client;

import io.facecast.api.v1.SessionEvent;

/** A session event and when this client received it (on the session's nanoTime clock, like media arrivals). */
public record ReceivedEvent(SessionEvent event, long arrivalNanos) {
}
