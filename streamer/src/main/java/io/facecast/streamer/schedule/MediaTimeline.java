package io.facecast.streamer.schedule;

/**
 * The timeline arithmetic, in one place. Every position is computed from its index (never by adding up periods),
 * so nothing accumulates: frame k is due at {@code floor(k * 1e9 / fps)} ns after the session origin however long
 * the session has run. Exact for about nine years of frames at 30 fps before {@code long} overflows.
 */
final class MediaTimeline {
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long CHUNK_NANOS = 10_000_000L;

    private MediaTimeline() {}

    static long frameDueOffset(long frame, int fps) {
        return frame * NANOS_PER_SECOND / fps;
    }

    static long chunkDueOffset(long chunk) {
        return chunk * CHUNK_NANOS;
    }

    /** First sample of frame k: floor(k * rate / fps), so uneven splits (16 kHz at 30 fps) never drift. */
    static long frameStartSample(long frame, int sampleRate, int fps) {
        return frame * sampleRate / fps;
    }

    static int chunkSamples(int sampleRate) {
        return sampleRate / 100;
    }

    static long frameMediaMillis(long frame, int fps) {
        return frame * 1000 / fps;
    }

    static int framesCeil(long millis, int fps) {
        return (int) ((millis * fps + 999) / 1000);
    }
}
