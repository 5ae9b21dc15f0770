package io.facecast.streamer.schedule;

import java.util.Arrays;

/**
 * Sliding window of push errors (actual push time minus due time) and of recent video push times. Written by the
 * scheduler thread, read by whoever asks for stats: the short synchronized sections are uncontended almost always
 * and keep the push path free of allocation.
 */
final class PacingWindow {
    private static final int FPS_RING = 128; // > any supported fps: a full second of pushes fits

    private final long[] errors;
    private int errorCount;
    private int errorNext;
    private final long[] videoTimes = new long[FPS_RING];
    private int videoNext;
    private int videoCount;

    PacingWindow(int size) {
        errors = new long[size];
    }

    synchronized void recordPush(long errorNanos) {
        errors[errorNext] = errorNanos;
        errorNext = (errorNext + 1) % errors.length;
        errorCount = Math.min(errorCount + 1, errors.length);
    }

    synchronized void recordVideo(long pushNanos) {
        videoTimes[videoNext] = pushNanos;
        videoNext = (videoNext + 1) % FPS_RING;
        videoCount = Math.min(videoCount + 1, FPS_RING);
    }

    /** Video pushes in (now - 1 s, now]. */
    synchronized int videoInLastSecond(long now) {
        int n = 0;
        for (int i = 0; i < videoCount; i++) {
            long t = videoTimes[i];
            if (t > now - MediaTimeline.NANOS_PER_SECOND && t <= now) {
                n++;
            }
        }
        return n;
    }

    /** {p50, p99, max} in microseconds; zeros before the first push. */
    long[] percentilesMicros() {
        long[] copy;
        synchronized (this) {
            copy = Arrays.copyOf(errors, errorCount);
        }
        if (copy.length == 0) {
            return new long[] {0, 0, 0};
        }
        Arrays.sort(copy);
        return new long[] {at(copy, 0.50) / 1000, at(copy, 0.99) / 1000, copy[copy.length - 1] / 1000};
    }

    private static long at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
