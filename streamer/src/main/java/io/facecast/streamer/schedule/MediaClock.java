package io.facecast.streamer.schedule;

/**
 * The one source of time for a streamer's scheduler. Monotonic nanoseconds with an arbitrary origin, like
 * {@link System#nanoTime()}; every due time and pacing error is computed against it, so a test can swap in
 * {@link VirtualClock} and run hours of media in seconds.
 */
public interface MediaClock {
    long nanoTime();
}
