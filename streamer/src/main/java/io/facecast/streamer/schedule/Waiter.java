package io.facecast.streamer.schedule;

/**
 * How the scheduler thread waits for the next due time. Kept apart from {@link MediaClock} so the same driver loop
 * runs on real time ({@link RealTimeClock} parks the thread) and on virtual time ({@link VirtualClock} just moves
 * the clock forward).
 */
public interface Waiter {
    /**
     * Waits until {@code deadlineNanos} on the paired clock, or less: a wake-up (new work in the inbox) may end the
     * wait early, so callers re-check the clock and their work after every return.
     */
    void awaitUntil(long deadlineNanos);
}
