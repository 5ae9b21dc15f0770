package io.facecast.streamer.schedule;

/**
 * Tunables of the scheduler.
 *
 * @param startLeadMillis    media (audio and video) a segment must have buffered before it starts, unless its
 *                           SEGMENT_END has arrived: the margin that absorbs a renderer running near real time
 * @param maxLookAheadMillis media beyond the play position a session may hold before {@code hasRoom} says no
 * @param maxStallMillis     how long a segment may hold (renderer late, no SEGMENT_END) before it is given up and
 *                           finished with what was received, so a dead renderer never freezes the avatar
 * @param pacingWindow       push errors kept per session for the pacing percentiles
 * @param skipLateVideo      when the scheduler itself falls behind, drop a video frame whose successor is already
 *                           due instead of pushing a burst (audio is never dropped)
 */
public record SchedulerConfig(int startLeadMillis, int maxLookAheadMillis, int maxStallMillis, int pacingWindow,
                              boolean skipLateVideo) {
    public SchedulerConfig {
        if (startLeadMillis < 0 || maxLookAheadMillis <= 0 || maxStallMillis <= 0 || pacingWindow <= 0) {
            throw new IllegalArgumentException("invalid scheduler config: " + startLeadMillis + "/" + maxLookAheadMillis
                    + "/" + maxStallMillis + "/" + pacingWindow);
        }
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(300, 2000, 3000, 1024, true);
    }

    public SchedulerConfig withStartLeadMillis(int v) {
        return new SchedulerConfig(v, maxLookAheadMillis, maxStallMillis, pacingWindow, skipLateVideo);
    }

    public SchedulerConfig withMaxLookAheadMillis(int v) {
        return new SchedulerConfig(startLeadMillis, v, maxStallMillis, pacingWindow, skipLateVideo);
    }

    public SchedulerConfig withMaxStallMillis(int v) {
        return new SchedulerConfig(startLeadMillis, maxLookAheadMillis, v, pacingWindow, skipLateVideo);
    }

    public SchedulerConfig withPacingWindow(int v) {
        return new SchedulerConfig(startLeadMillis, maxLookAheadMillis, maxStallMillis, v, skipLateVideo);
    }
}
