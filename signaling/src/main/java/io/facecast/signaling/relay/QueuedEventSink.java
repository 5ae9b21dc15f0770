package io.facecast.signaling.relay;

import io.facecast.api.v1.SessionEvent;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watcher whose events are queued, bounded, and written by a drain task on a separate executor, so whoever
 * publishes (a session holding its lock, the streamer's event pump) never waits for a client's socket.
 *
 * <p>Rules: {@link #send} only offers to the queue and never blocks. A stats event is skipped while others are queued
 * (the next one supersedes it). A watcher that has {@link #capacity} events unwritten, or whose write has not
 * finished within the write timeout, has fallen behind: it is closed with that reason and dropped (send throws, so the
 * fanout removes it). One drain runs at a time per sink, so the stream sees one writer.
 */
public abstract class QueuedEventSink implements EventSink {

    private static final Logger log = LoggerFactory.getLogger(QueuedEventSink.class);

    /** About a minute of a busy session's events (ICE, speech, state; stats are skipped while queued). */
    public static final int DEFAULT_CAPACITY = 256;
    public static final long DEFAULT_WRITE_TIMEOUT_NANOS = 10_000_000_000L;

    private final String sessionId;
    private final Executor writer;
    private final int capacity;
    private final long writeTimeoutNanos;
    private final LongSupplier nanoTime;
    private final ArrayDeque<SessionEvent> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean completing;
    private boolean keepAliveDue;
    private boolean ended;
    private String failure;
    private Thread writingThread;
    private long writeStartedNanos;
    private Observer observer = Observer.NONE;

    /** Who counts queued events and dropped watchers (metrics); called under the sink's lock, must not block. */
    public interface Observer {
        Observer NONE = new Observer() {
            @Override public void queued(int delta) {}
            @Override public void dropped() {}
        };

        void queued(int delta);

        void dropped();
    }

    /** Set once, when the sink is subscribed, before events flow. */
    public final synchronized void observeWith(Observer observer) {
        this.observer = observer;
    }

    protected QueuedEventSink(String sessionId, Executor writer, int capacity, long writeTimeoutNanos, LongSupplier nanoTime) {
        this.sessionId = sessionId;
        this.writer = writer;
        this.capacity = capacity;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.nanoTime = nanoTime;
    }

    /** Writes one event to the client; may block (a socket), never called under a session lock. */
    protected abstract void write(SessionEvent event) throws Exception;

    /** Writes a keep-alive if the transport has one. */
    protected void writeKeepAlive() throws Exception {}

    /** Whether the transport takes another event now (gRPC: isReady); a sink that says no calls {@link #resume}. */
    protected boolean ready() {
        return true;
    }

    /** Ends the stream: normally ({@code failure} null) or because the watcher fell behind or went away. */
    private io.grpc.Status closingStatus;

    protected abstract void end(String failure);

    @Override
    public final void send(SessionEvent event) {
        synchronized (this) {
            requireOpen();
            if (event.hasStats() && (!queue.isEmpty() || writingThread != null)) {
                return;
            }
            checkStalled();
            if (queue.size() >= capacity) {
                fail("fell behind: " + capacity + " events unread");
            }
            requireOpen();
            queue.add(event);
            observer.queued(1);
            scheduleDrain();
        }
    }

    /** Writes what is queued, then ends the stream with this status ({@link #endWithStatus}). */
    @Override
    public final synchronized void fail(io.grpc.Status status) {
        if (!ended && failure == null) {
            closingStatus = status;
            completing = true;
            scheduleDrain();
        }
    }

    /** How the stream ends after {@link #fail(io.grpc.Status)}; transports without a status just end. */
    protected void endWithStatus(io.grpc.Status status) {
        end(null);
    }

    @Override
    public final synchronized void complete() {
        if (!ended && failure == null) {
            completing = true;
            scheduleDrain();
        }
    }

    /**
     * Queues a keep-alive and checks for a stalled write.
     *
     * @return false once the sink is over (the caller then unsubscribes it)
     */
    public final synchronized boolean keepAlive() {
        if (ended || failure != null) {
            return false;
        }
        checkStalled();
        if (failure != null) {
            return false;
        }
        keepAliveDue = true;
        scheduleDrain();
        return true;
    }

    /** The transport can take more (gRPC onReady). */
    protected final synchronized void resume() {
        if (!queue.isEmpty() || completing || failure != null) {
            scheduleDrain();
        }
    }

    public final synchronized boolean isOver() {
        return ended || failure != null;
    }

    /** Events waiting to be written (for tests and metrics). */
    public final synchronized int queued() {
        return queue.size();
    }

    private void requireOpen() {
        if (ended || failure != null) {
            throw new IllegalStateException("event stream of session " + sessionId + " is over"
                    + (failure == null ? "" : ": " + failure));
        }
    }

    private void checkStalled() {
        if (writingThread != null && nanoTime.getAsLong() - writeStartedNanos > writeTimeoutNanos) {
            fail("fell behind: a write did not finish within " + writeTimeoutNanos / 1_000_000 + " ms");
        }
    }

    /** Lock held. Drops what is queued, unblocks a stuck write, and lets the drain end the stream with the reason. */
    private void fail(String why) {
        if (failure != null || ended) {
            return;
        }
        failure = why;
        observer.queued(-queue.size());
        observer.dropped();
        queue.clear();
        log.info("closing a watcher of session {}: {}", sessionId, why);
        if (writingThread != null) {
            // A blocking socket write returns (ClosedByInterruptException) once its thread is interrupted; the
            // interrupt is cleared under this lock by the writer before it takes other work.
            writingThread.interrupt();
        } else {
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (draining || ended) {
            return;
        }
        draining = true;
        try {
            writer.execute(this::drain);
        } catch (RejectedExecutionException e) {
            draining = false;
            ended = true;
        }
    }

    private void drain() {
        while (true) {
            SessionEvent next;
            boolean keepAlive = false;
            synchronized (this) {
                if (failure != null || (completing && queue.isEmpty())) {
                    break;
                }
                if (!ready()) {
                    draining = false;
                    return;
                }
                next = queue.poll();
                if (next != null) {
                    observer.queued(-1);
                }
                if (next == null) {
                    if (!keepAliveDue) {
                        draining = false;
                        return;
                    }
                    keepAliveDue = false;
                    keepAlive = true;
                }
                writingThread = Thread.currentThread();
                writeStartedNanos = nanoTime.getAsLong();
            }
            try {
                if (keepAlive) {
                    writeKeepAlive();
                } else {
                    write(next);
                }
            } catch (Exception e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = "went away: " + e;
                        observer.queued(-queue.size());
                        queue.clear();
                    }
                }
            } finally {
                synchronized (this) {
                    writingThread = null;
                    Thread.interrupted();
                }
            }
        }
        String why;
        io.grpc.Status status;
        synchronized (this) {
            ended = true;
            draining = false;
            why = failure;
            status = closingStatus;
        }
        try {
            if (why == null && status != null) {
                endWithStatus(status);
            } else {
                end(why);
            }
        } catch (RuntimeException e) {
            log.debug("ending a watcher of session {}: {}", sessionId, e.toString());
        }
    }
}
