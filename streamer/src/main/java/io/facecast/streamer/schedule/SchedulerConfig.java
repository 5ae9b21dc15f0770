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
 * @param testAudioDelayMillis a <b>test/diagnostic</b> fault, 0 in service: every session's audio sounds this many
 *                           ms after the video it belongs to (0 to {@link #MAX_TEST_AUDIO_DELAY_MILLIS}), so a
 *                           lip-sync meter can be shown to see a known offset
 * @param realTimePriority   the real scheduler thread's {@code SCHED_FIFO} priority, 1 to 99, or 0 to leave it an
 *                           ordinary thread (at nice −5 where the JVM may set that); see
 *                           {@link io.facecast.rtc.RealTimeThread} for why, and what it needs
 */
public record SchedulerConfig(int startLeadMillis, int maxLookAheadMillis, int maxStallMillis, int pacingWindow,
                              boolean skipLateVideo, int testAudioDelayMillis, int realTimePriority) {
    public static final int MAX_TEST_AUDIO_DELAY_MILLIS = 1000;
    /** Low among real-time threads (the kernel's own run at 50, audio servers at 20 and above): it only needs to
     * run ahead of ordinary threads. */
    public static final int DEFAULT_REAL_TIME_PRIORITY = 10;

    public SchedulerConfig {
        if (startLeadMillis < 0 || maxLookAheadMillis <= 0 || maxStallMillis <= 0 || pacingWindow <= 0) {
            throw new IllegalArgumentException("invalid scheduler config: " + startLeadMillis + "/" + maxLookAheadMillis
                    + "/" + maxStallMillis + "/" + pacingWindow);
        }
        if (testAudioDelayMillis < 0 || testAudioDelayMillis > MAX_TEST_AUDIO_DELAY_MILLIS) {
            throw new IllegalArgumentException("the test audio delay must be 0 to " + MAX_TEST_AUDIO_DELAY_MILLIS
                    + " ms, not " + testAudioDelayMillis);
        }
        if (realTimePriority < 0 || realTimePriority > io.facecast.rtc.RealTimeThread.MAX_PRIORITY) {
            throw new IllegalArgumentException("the pacing thread's real-time priority must be 0 (none) to "
                    + io.facecast.rtc.RealTimeThread.MAX_PRIORITY + ", not " + realTimePriority);
        }
    }

    public SchedulerConfig(int startLeadMillis, int maxLookAheadMillis, int maxStallMillis, int pacingWindow,
                           boolean skipLateVideo) {
        this(startLeadMillis, maxLookAheadMillis, maxStallMillis, pacingWindow, skipLateVideo, 0,
                DEFAULT_REAL_TIME_PRIORITY);
    }

    /** See {@code testAudioDelayMillis}: a deliberate A/V offset for measuring tools, never for service. */
    public SchedulerConfig withTestAudioDelayMillis(int v) {
        return new SchedulerConfig(startLeadMillis, maxLookAheadMillis, maxStallMillis, pacingWindow, skipLateVideo, v,
                realTimePriority);
    }

    public SchedulerConfig withRealTimePriority(int v) {
        return new SchedulerConfig(startLeadMillis, maxLookAheadMillis, maxStallMillis, pacingWindow, skipLateVideo,
                testAudioDelayMillis, v);
    }

    /**
     * The streamer's defaults. The look-ahead is 500 ms: what a session holds lives on the Java heap across young
     * collections (copied at each one, and promoted once the survivor spaces overflow), so it is kept to what the
     * start lead needs plus a margin for the ingest thread being late; the renderer's lead beyond it waits in the
     * bus (docs/performance.md, rule 2).
     */
    public static SchedulerConfig defaults() {
        return new SchedulerConfig(300, DEFAULT_LOOK_AHEAD_MILLIS, 3000, 1024, true);
    }

    public static final int DEFAULT_LOOK_AHEAD_MILLIS = 500;

    public SchedulerConfig withStartLeadMillis(int v) {
        return new SchedulerConfig(v, maxLookAheadMillis, maxStallMillis, pacingWindow, skipLateVideo, testAudioDelayMillis,
                realTimePriority);
    }

    public SchedulerConfig withMaxLookAheadMillis(int v) {
        return new SchedulerConfig(startLeadMillis, v, maxStallMillis, pacingWindow, skipLateVideo, testAudioDelayMillis,
                realTimePriority);
    }

    public SchedulerConfig withMaxStallMillis(int v) {
        return new SchedulerConfig(startLeadMillis, maxLookAheadMillis, v, pacingWindow, skipLateVideo, testAudioDelayMillis,
                realTimePriority);
    }

    public SchedulerConfig withPacingWindow(int v) {
        return new SchedulerConfig(startLeadMillis, maxLookAheadMillis, maxStallMillis, v, skipLateVideo, testAudioDelayMillis,
                realTimePriority);
    }
}
