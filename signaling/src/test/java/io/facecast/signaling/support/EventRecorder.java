package io.facecast.signaling.support;

import io.facecast.api.v1.SessionEvent;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client's WatchEvents stream; tests take events in order and wait for the end without fixed sleeps. */
public final class EventRecorder implements StreamObserver<SessionEvent> {

    private final LinkedBlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable error;

    @Override
    public void onNext(SessionEvent event) {
        events.add(event);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        ended.countDown();
    }

    @Override
    public void onCompleted() {
        ended.countDown();
    }

    public SessionEvent next() throws InterruptedException {
        SessionEvent event = events.poll(5, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event arrived within 5 s");
        }
        return event;
    }

    /** The next event within this many milliseconds, or null. */
    public SessionEvent poll(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    public boolean hasPending() {
        return !events.isEmpty();
    }

    /** Waits for the stream to end; true if it completed normally. */
    public boolean awaitCompleted() throws InterruptedException {
        if (!ended.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("stream did not end within 5 s");
        }
        return error == null;
    }

    public boolean isEnded() {
        return ended.getCount() == 0;
    }

    public Throwable error() {
        return error;
    }
}
