package io.facecast.streamer.schedule;

import java.util.concurrent.locks.LockSupport;

/**
 * The only place real time enters the scheduler: {@link System#nanoTime()} and {@link LockSupport#parkNanos}.
 *
 * <p>Parking on Linux overshoots by the timer slack (about 50-100 us), far inside the 2 ms pacing budget, so the
 * default spin is zero: a spinning scheduler would cost a core per streamer on a 2-core box. A small
 * {@code spinNanos} makes the last stretch a {@link Thread#yield()} loop for machines with coarse timers (measure
 * with {@code SchedulerBenchmark} before turning it on).
 */
public final class RealTimeClock implements MediaClock, Waiter {
    private final long spinNanos;

    public RealTimeClock() {
        this(0);
    }

    public RealTimeClock(long spinNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0: " + spinNanos);
        }
        this.spinNanos = spinNanos;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void awaitUntil(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > spinNanos) {
            // One park only: an unpark (new inbox work) must return control to the loop at once.
            LockSupport.parkNanos(remaining - spinNanos);
            return;
        }
        while (remaining > 0) {
            Thread.yield();
            remaining = deadlineNanos - System.nanoTime();
        }
    }
}
