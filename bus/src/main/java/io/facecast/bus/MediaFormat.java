package io.facecast.bus;

import java.util.Set;

/**
 * The rules renderer and streamer must agree on, defined once: the media format on the bus, the defaults a session
 * gets when it asks for none, the idle loop's limits, and how utterance ids compare.
 *
 * <p>Utterance ids: signaling numbers a session's utterances 1, 2, 3, ... ({@code uint64 utterance_id} in the
 * control API); 0 means "none". They are compared as unsigned 64-bit numbers ({@link #compareUtterances}), as the
 * API's type says, by the renderer and the streamer alike; an interrupt "discards through U" every utterance u with
 * {@link #isThrough isThrough(u, U)}.
 */
public final class MediaFormat {
    /** Audio on the bus: 48 kHz mono s16le. */
    public static final int SAMPLE_RATE = 48_000;
    public static final int CHANNELS = 1;
    /** What a session gets for a zero field in its media spec. */
    public static final int DEFAULT_WIDTH = 512;
    public static final int DEFAULT_HEIGHT = 512;
    public static final int DEFAULT_FPS = 30;
    /** Frame rates that divide 48000, so every video frame spans a whole number of audio samples. */
    public static final Set<Integer> FPS = Set.of(24, 25, 30);
    /** At most this many frames in an idle loop: each is a full frame the streamer holds for the session's life. */
    public static final int MAX_IDLE_FRAMES = 64;
    /** The longest an idle loop frame may be held, in video frames (about 10 s at 25 fps). */
    public static final int MAX_IDLE_HOLD = 255;

    private MediaFormat() {}

    public static boolean isSupportedFps(int fps) {
        return FPS.contains(fps);
    }

    /** Orders utterance ids as unsigned numbers. */
    public static int compareUtterances(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    /** Whether utterance {@code id} is among those an interrupt discarding through {@code through} discards. */
    public static boolean isThrough(long id, long through) {
        return Long.compareUnsigned(id, through) <= 0;
    }

    /** The later of two utterance ids. */
    public static long laterUtterance(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
