package io.facecast.streamer.schedule;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of a session other threads may touch: the look-ahead gauge (the bus reader adds what it accepts, the
 * scheduler retires what it played or discarded) and the counters behind {@link SessionStats}. Counters have one
 * writer, the scheduler thread; volatile is enough for readers.
 */
final class SessionHandle {
    final SessionSpec spec;
    final long originNanos;
    private final int maxLookAheadMillis;
    final PacingWindow pacing;

    final AtomicLong acceptedAudioSamples = new AtomicLong();
    final AtomicLong acceptedVideoFrames = new AtomicLong();
    final AtomicLong retiredAudioSamples = new AtomicLong();
    final AtomicLong retiredVideoFrames = new AtomicLong();

    volatile long videoFramesPushed;
    volatile long videoFramesSkipped;
    volatile long audioChunksPushed;
    volatile long stalls;
    volatile long stalledFrames;
    volatile long mediaTimeMs;
    volatile SpeechState state = SpeechState.IDLE;
    volatile boolean closed;

    SessionHandle(SessionSpec spec, long originNanos, SchedulerConfig config) {
        this.spec = spec;
        this.originNanos = originNanos;
        this.maxLookAheadMillis = config.maxLookAheadMillis();
        this.pacing = new PacingWindow(config.pacingWindow());
    }

    /** Received media not yet played: the larger of audio and video, so neither can run away from the other. */
    long bufferedMillis() {
        long audio = acceptedAudioSamples.get() - retiredAudioSamples.get();
        long video = acceptedVideoFrames.get() - retiredVideoFrames.get();
        return Math.max(0, Math.max(audio * 1000 / spec.sampleRate(), video * 1000 / spec.fps()));
    }

    boolean hasRoom() {
        return bufferedMillis() < maxLookAheadMillis;
    }

    SessionStats snapshot(long now) {
        long[] p = pacing.percentilesMicros();
        return new SessionStats(spec.sessionId(), state, mediaTimeMs, videoFramesPushed, videoFramesSkipped,
                audioChunksPushed, stalls, stalledFrames, pacing.videoInLastSecond(now), p[0], p[1], p[2],
                bufferedMillis());
    }
}
