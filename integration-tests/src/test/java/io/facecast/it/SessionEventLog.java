package io.facecast.it;

import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A session's events over gRPC WatchEvents, each stamped with System.nanoTime() on arrival. */
final class SessionEventLog implements AutoCloseable {
    private final List<ReceivedEvent> events = new ArrayList<>();
    private final FacecastClient.EventSubscription subscription;
    private boolean ended;

    SessionEventLog(FacecastClient client, String sessionId) {
        subscription = client.watchEvents(sessionId, new StreamObserver<>() {
            @Override
            public void onNext(SessionEvent e) {
                add(new ReceivedEvent(e, System.nanoTime()));
            }

            @Override
            public void onError(Throwable t) {
                end();
            }

            @Override
            public void onCompleted() {
                end();
            }
        });
    }

    private synchronized void add(ReceivedEvent e) {
        events.add(e);
        notifyAll();
    }

    private synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized List<ReceivedEvent> events() {
        return List.copyOf(events);
    }

    Optional<ReceivedEvent> await(Predicate<SessionEvent> predicate, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            int checked = 0;
            while (true) {
                for (; checked < events.size(); checked++) {
                    if (predicate.test(events.get(checked).event())) return Optional.of(events.get(checked));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) return Optional.empty();
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
