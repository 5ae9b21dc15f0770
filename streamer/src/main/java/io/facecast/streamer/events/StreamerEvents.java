package io.facecast.streamer.events;

import io.facecast.api.v1.SessionEvent;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans every session event of this streamer out to the WatchEvents streams signaling holds. Publishing never blocks the
 * media path: gRPC observers buffer, and an observer that fails is dropped.
 */
public final class StreamerEvents {
    private static final Logger log = LoggerFactory.getLogger(StreamerEvents.class);

    private final Set<StreamObserver<SessionEvent>> watchers = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();

    public void watch(StreamObserver<SessionEvent> observer) {
        watchers.add(observer);
        if (observer instanceof ServerCallStreamObserver) {
            ((ServerCallStreamObserver<SessionEvent>) observer).setOnCancelHandler(() -> watchers.remove(observer));
        }
    }

    public void publish(SessionEvent.Builder event) {
        SessionEvent e = event.setTimestampUs(System.currentTimeMillis() * 1000).build();
        published.incrementAndGet();
        for (StreamObserver<SessionEvent> w : watchers) {
            try {
                synchronized (w) {
                    w.onNext(e);
                }
            } catch (RuntimeException ex) {
                log.debug("dropping an event watcher: {}", ex.toString());
                watchers.remove(w);
            }
        }
    }

    public long published() {
        return published.get();
    }

    public void completeAll() {
        for (StreamObserver<SessionEvent> w : watchers) {
            try {
                synchronized (w) {
                    w.onCompleted();
                }
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        watchers.clear();
    }
}
