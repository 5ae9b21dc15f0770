package io.facecast.streamer.schedule;

/**
 * Virtual time for tests and simulations: waiting simply moves the clock to the deadline, so a scheduler stepped
 * with {@link StreamerScheduler#runUntil(long)} produces exactly the pushes it would on real time, with zero
 * pacing error, as fast as the CPU allows.
 */
public final class VirtualClock implements MediaClock, Waiter {
    private volatile long now;

    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Time only moves forward: a deadline in the past is a no-op. */
    @Override
    public synchronized void awaitUntil(long deadlineNanos) {
        if (deadlineNanos > now) {
            now = deadlineNanos;
        }
    }

    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward: " + nanos);
        }
        awaitUntil(now + nanos);
    }
}
