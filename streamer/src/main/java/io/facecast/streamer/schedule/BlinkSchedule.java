package io.facecast.streamer.schedule;

/**
 * When the idle avatar has its eyes closed: a pure function of the frame index and a per-session seed, never of
 * the wall clock, so a session looks the same on virtual and real time. The timeline is cut into 4 s windows and
 * each window holds one blink of {@link #BLINK_FRAMES} frames starting somewhere in its first second: blinks are
 * 3 to 5 s apart and never regular enough to look mechanical.
 */
final class BlinkSchedule {
    static final int BLINK_FRAMES = 4;
    private static final int WINDOW_SECONDS = 4;

    private final long seed;
    private final int fps;

    BlinkSchedule(long seed, int fps) {
        this.seed = seed;
        this.fps = fps;
    }

    boolean eyesClosed(long frame) {
        long window = (long) WINDOW_SECONDS * fps;
        long w = frame / window;
        long offset = frame - w * window;
        long start = Math.floorMod(mix(seed + w * 0x9E3779B97F4A7C15L), (long) fps);
        return offset >= start && offset < start + BLINK_FRAMES;
    }

    /** SplitMix64's finalizer: neighbouring windows get unrelated offsets. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
