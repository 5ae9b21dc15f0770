package io.facecast.streamer.events;

import io.facecast.api.v1.SessionEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans every session event of this streamer out to the WatchEvents streams signaling holds.
 *
 * <p>{@link #publish} runs on the real-time scheduler thread and the WebRTC event thread: it only offers the event
 * to each watcher's lock-free queue and never blocks or takes a lock either thread shares. A writer thread drains
 * each queue while gRPC says the stream {@link ServerCallStreamObserver#isReady() is ready} (resumed by onReady). A
 * watcher with {@link #DEFAULT_CAPACITY} events unwritten has stopped reading: it is closed with RESOURCE_EXHAUSTED
 * (signaling then opens a new stream) instead of being buffered without limit.
 */
public final class StreamerEvents {
    private static final Logger log = LoggerFactory.getLogger(StreamerEvents.class);

    /** Every session's events share a stream: a few seconds of a full streamer's ICE, speech and stats events. */
    public static final int DEFAULT_CAPACITY = 4096;

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();
    private final Executor writer;
    private final int capacity;

    public StreamerEvents() {
        this(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "streamer-event-writer");
            thread.setDaemon(true);
            return thread;
        }), DEFAULT_CAPACITY);
    }

    public StreamerEvents(Executor writer, int capacity) {
        this.writer = writer;
        this.capacity = capacity;
    }

    public void watch(StreamObserver<SessionEvent> observer) {
        Watcher watcher = new Watcher(observer);
        if (observer instanceof ServerCallStreamObserver<SessionEvent> call) {
            call.setOnCancelHandler(() -> watchers.remove(watcher));
            call.setOnReadyHandler(watcher::schedule);
        }
        watchers.add(watcher);
    }

    /** Never blocks: offers the event to every watcher's queue. */
    public void publish(SessionEvent.Builder event) {
        SessionEvent e = event.setTimestampUs(System.currentTimeMillis() * 1000).build();
        published.incrementAndGet();
        for (Watcher w : watchers) {
            w.offer(e);
        }
    }

    public long published() {
        return published.get();
    }

    public int watcherCount() {
        return watchers.size();
    }

    public void completeAll() {
        for (Watcher w : watchers) {
            w.completing = true;
            w.schedule();
        }
    }

    private final class Watcher {
        private final StreamObserver<SessionEvent> out;
        private final ServerCallStreamObserver<SessionEvent> call;
        private final ConcurrentLinkedQueue<SessionEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean overflowed;
        private volatile boolean completing;
        private boolean ended; // drain thread only

        Watcher(StreamObserver<SessionEvent> out) {
            this.out = out;
            this.call = out instanceof ServerCallStreamObserver<SessionEvent> c ? c : null;
        }

        void offer(SessionEvent e) {
            if (overflowed) {
                return;
            }
            if (size.incrementAndGet() > capacity) {
                overflowed = true;
            } else {
                queue.add(e);
            }
            schedule();
        }

        void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    writer.execute(this::drain);
                } catch (RejectedExecutionException ex) {
                    scheduled.set(false);
                }
            }
        }

        private boolean ready() {
            return call == null || call.isReady() || call.isCancelled();
        }

        private boolean hasWork() {
            return overflowed || !queue.isEmpty() || completing;
        }

        private void drain() {
            while (true) {
                if (ended) {
                    scheduled.set(false);
                    return;
                }
                try {
                    if (overflowed) {
                        end(Status.RESOURCE_EXHAUSTED.withDescription("event watcher fell behind: " + capacity
                                + " events unread; watch again").asRuntimeException());
                        continue;
                    }
                    SessionEvent e = ready() ? queue.poll() : null;
                    if (e != null) {
                        size.decrementAndGet();
                        out.onNext(e);
                        continue;
                    }
                    if (completing && queue.isEmpty()) {
                        end(null);
                        continue;
                    }
                } catch (RuntimeException ex) {
                    log.debug("dropping an event watcher: {}", ex.toString());
                    ended = true;
                    watchers.remove(this);
                    continue;
                }
                // Nothing to do now (or not ready: onReady schedules again). Re-check after releasing the flag so an
                // offer that raced with this exit is not left unwritten.
                scheduled.set(false);
                if (!(hasWork() && ready()) || !scheduled.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        private void end(RuntimeException error) {
            ended = true;
            watchers.remove(this);
            queue.clear();
            if (error != null) {
                log.warn("closing an event watcher: {}", error.getMessage());
                out.onError(error);
            } else {
                out.onCompleted();
            }
        }
    }
}
