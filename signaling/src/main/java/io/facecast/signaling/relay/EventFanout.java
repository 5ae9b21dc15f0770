package io.facecast.signaling.relay;

import io.facecast.api.v1.SessionEvent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a session's events to all of its watchers, in one order for all of them. A watcher that throws is dropped
 * so it cannot disturb the others. Not thread-safe on its own: the owning session calls it under its lock, which is
 * what keeps "current state, then live events" gap-free for a new watcher.
 */
public final class EventFanout {

    private static final Logger log = LoggerFactory.getLogger(EventFanout.class);

    private final List<EventSink> sinks = new ArrayList<>();

    public void add(EventSink sink) {
        sinks.add(sink);
    }

    public boolean remove(EventSink sink) {
        return sinks.remove(sink);
    }

    public int size() {
        return sinks.size();
    }

    public void publish(SessionEvent event) {
        sinks.removeIf(sink -> !deliver(sink, event));
    }

    /** Sends the last event to everyone and ends every stream. */
    public void closeAll(SessionEvent lastEvent) {
        for (EventSink sink : sinks) {
            if (deliver(sink, lastEvent)) {
                try {
                    sink.complete();
                } catch (RuntimeException e) {
                    log.debug("watcher of session {} failed to complete", lastEvent.getSessionId(), e);
                }
            }
        }
        sinks.clear();
    }

    /** Ends every stream with an error status (no further event). */
    public void failAll(io.grpc.Status status) {
        for (EventSink sink : sinks) {
            try {
                sink.fail(status);
            } catch (RuntimeException e) {
                log.debug("watcher failed to end", e);
            }
        }
        sinks.clear();
    }

    private static boolean deliver(EventSink sink, SessionEvent event) {
        try {
            sink.send(event);
            return true;
        } catch (RuntimeException e) {
            log.debug("dropping a watcher of session {}: {}", event.getSessionId(), e.toString());
            return false;
        }
    }
}
