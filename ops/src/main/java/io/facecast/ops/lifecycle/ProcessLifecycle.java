package io.facecast.ops.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Where a renderer or streamer process stands: STARTING until its servers listen, SERVING, DRAINING after the first
 * drain request (SIGTERM or {@code POST /drain}), STOPPING once its drain is over. Plain state on an injected clock;
 * the process's Server class acts on it.
 *
 * <p>Rules:
 * <ul>
 *   <li><b>Ready</b> (answers {@code /readyz} and gRPC health) only while SERVING and the process's own condition
 *       holds (a streamer: registered with signaling). False while starting, draining and stopping.</li>
 *   <li><b>Accepting</b> new sessions only while SERVING: a draining process refuses them (UNAVAILABLE).</li>
 *   <li><b>Drain over</b> when no live session remains, when the drain timeout has passed since the first request, or
 *       when a second request forced it (a second SIGTERM: sessions are closed at once).</li>
 * </ul>
 */
public final class ProcessLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ProcessLifecycle.class);

    public enum Phase { STARTING, SERVING, DRAINING, STOPPING }

    /** What a drain request did: started the drain, or (a later one) forced it. */
    public enum DrainRequest { STARTED, FORCED, ALREADY_STOPPING }

    private final String process;
    private final Duration drainTimeout;
    private final LongSupplier nanoTime;
    private volatile BooleanSupplier readyCondition = () -> true;
    private Phase phase = Phase.STARTING;
    private long drainStartedNanos;
    private boolean forced;

    /** @param nanoTime the process's monotonic clock (System::nanoTime in service; tests step their own) */
    public ProcessLifecycle(String process, Duration drainTimeout, LongSupplier nanoTime) {
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("the drain timeout must not be negative: " + drainTimeout);
        }
        this.process = process;
        this.drainTimeout = drainTimeout;
        this.nanoTime = nanoTime;
    }

    /** A further condition for readiness while SERVING (a streamer: it is registered with signaling). */
    public ProcessLifecycle readyWhen(BooleanSupplier condition) {
        this.readyCondition = condition;
        return this;
    }

    public synchronized Phase phase() {
        return phase;
    }

    public synchronized void serving() {
        if (phase == Phase.STARTING) {
            phase = Phase.SERVING;
        }
    }

    public boolean ready() {
        synchronized (this) {
            if (phase != Phase.SERVING) {
                return false;
            }
        }
        return readyCondition.getAsBoolean();
    }

    public synchronized boolean accepting() {
        return phase == Phase.SERVING;
    }

    public synchronized boolean draining() {
        return phase == Phase.DRAINING;
    }

    /** The first call starts the drain; a call while draining forces it; after that nothing changes. */
    public synchronized DrainRequest requestDrain(String why) {
        switch (phase) {
            case STARTING, SERVING -> {
                phase = Phase.DRAINING;
                drainStartedNanos = nanoTime.getAsLong();
                log.info("{} draining ({}): no new sessions; live ones play on for at most {}", process, why,
                        drainTimeout);
                return DrainRequest.STARTED;
            }
            case DRAINING -> {
                if (!forced) {
                    forced = true;
                    log.warn("{} drain forced ({}): live sessions are closed now", process, why);
                }
                return DrainRequest.FORCED;
            }
            default -> {
                return DrainRequest.ALREADY_STOPPING;
            }
        }
    }

    public synchronized boolean forced() {
        return forced;
    }

    /** Whether the drain is over, given how many sessions are still live. False unless draining. */
    public synchronized boolean drainOver(int liveSessions) {
        if (phase != Phase.DRAINING) {
            return phase == Phase.STOPPING;
        }
        return liveSessions == 0 || forced || timedOut();
    }

    /** True when the drain timeout has passed (sessions still live are then closed). */
    public synchronized boolean timedOut() {
        return phase == Phase.DRAINING && nanoTime.getAsLong() - drainStartedNanos >= drainTimeout.toNanos();
    }

    /** Nanoseconds since the drain started (0 unless draining or stopping after one). */
    public synchronized long drainingNanos() {
        return drainStartedNanos == 0 && phase != Phase.DRAINING ? 0 : nanoTime.getAsLong() - drainStartedNanos;
    }

    /** Ends the drain (or skips it): from now on the process shuts down. */
    public synchronized void stopping() {
        phase = Phase.STOPPING;
    }

    /**
     * Waits, on the calling thread, until the drain is over: polls {@code liveSessions} every {@code pollMillis},
     * logging the count when it changes. Returns the sessions still live (closed by the caller: timeout or forced).
     */
    public int awaitDrained(IntSupplier liveSessions, long pollMillis) throws InterruptedException {
        int last = -1;
        while (true) {
            int live = liveSessions.getAsInt();
            if (live != last) {
                log.info("{} draining: {} live session(s)", process, live);
                last = live;
            }
            if (drainOver(live)) {
                if (live > 0) {
                    log.warn("{} drain over with {} live session(s) ({}): closing them", process, live,
                            forced() ? "forced" : "drain timeout " + drainTimeout + " passed");
                }
                return live;
            }
            Thread.sleep(pollMillis);
        }
    }
}
