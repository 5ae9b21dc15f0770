package io.facecast.ops.lifecycle;

import io.facecast.ops.OpsServer;
import org.slf4j.Logger;

import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;

/**
 * What a renderer's and a streamer's server class share around their {@link ProcessLifecycle}: the drain (the first
 * request stops taking sessions and waits on a thread of its own for the last one to close, or the drain timeout; a
 * second forces it), the ops listener's accessor, and a close that runs the process's ordered shutdown exactly once
 * and then releases {@link #awaitTermination}. The subclass says which sessions a drain waits for, what "stop taking
 * them" means and how it shuts down; it starts and closes its own listeners (the ops listener in {@link #ops}).
 *
 * <p>Locking: the subclass's synchronized methods and this class's share the instance's monitor.
 */
public abstract class ProcessServer implements AutoCloseable {
    /** How often a drain looks whether the last session closed. */
    public static final long DRAIN_POLL_MILLIS = 100;

    private final String name;
    private final ProcessLifecycle lifecycle;
    private final Logger log;
    private final IntSupplier liveSessions;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;
    /** The ops listener, set by the subclass's start (null when off); guarded by this. */
    protected OpsServer ops;

    /**
     * @param name         how the logs name this process ("renderer", "streamer s-1")
     * @param log          the subclass's logger, so its lines keep their category
     * @param liveSessions the sessions a drain waits for
     */
    protected ProcessServer(String name, ProcessLifecycle lifecycle, Logger log, IntSupplier liveSessions) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.log = log;
        this.liveSessions = liveSessions;
    }

    /** The first drain request: refuse new sessions and stop answering as ready (on the requesting thread). */
    protected abstract void stopTakingSessions();

    /** What a drain request did, for the caller to show: the drain started, or ({@code forced}) it was forced. */
    protected abstract String describeDrain(boolean forced);

    /** The process's ordered shutdown; called once, by {@link #close}, after the lifecycle entered STOPPING. */
    protected abstract void shutDown();

    /**
     * A drain request (SIGTERM, POST /drain): the first starts the drain on its own thread, a second forces it.
     * Returns what happened, for the caller to show.
     */
    public String drain(String why) {
        switch (lifecycle.requestDrain(why)) {
            case STARTED -> {
                stopTakingSessions();
                Thread t = new Thread(this::finishDrain, "drain");
                t.setDaemon(false);
                t.start();
                return describeDrain(false);
            }
            case FORCED -> {
                return describeDrain(true);
            }
            default -> {
                return "already stopping";
            }
        }
    }

    private void finishDrain() {
        try {
            lifecycle.awaitDrained(liveSessions, DRAIN_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} drained after {} ms; stopping", name, lifecycle.drainingNanos() / 1_000_000);
        close();
    }

    public ProcessLifecycle lifecycle() {
        return lifecycle;
    }

    /** The ops listener, or null when off. */
    public synchronized OpsServer ops() {
        return ops;
    }

    /** Returns once the server has stopped (after a drain or close). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Runs the ordered shutdown once; later calls (a drain ending after a close, a second signal) do nothing. */
    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        lifecycle.stopping();
        try {
            shutDown();
        } finally {
            stopped.countDown();
        }
    }
}
