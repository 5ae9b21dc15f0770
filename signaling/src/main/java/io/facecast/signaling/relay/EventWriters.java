package io.facecast.signaling.relay;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write events to watchers ({@link QueuedEventSink}'s drains), apart from the publishers and from
 * the scheduler that runs the reaper and keep-alives. A drain holds a thread only while it has something to write;
 * a write that blocks past the write timeout is interrupted, which frees its thread.
 */
public final class EventWriters {

    private static final ExecutorService SHARED = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "signaling-event-writer-" + Holder.COUNT.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private static final class Holder {
        static final AtomicInteger COUNT = new AtomicInteger();
    }

    private EventWriters() {}

    public static ExecutorService shared() {
        return SHARED;
    }
}
