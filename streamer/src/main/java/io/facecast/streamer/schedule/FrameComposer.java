package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;
import io.facecast.bus.I420;

import java.util.Arrays;

/**
 * Builds a session's full frames in one reusable buffer: the idle base of the frame's place in the idle loop
 * (mid-grey until one arrives, never black), the eyes-closed overlay while blinking, and the mouth patch while
 * speaking.
 *
 * <p>The idle loop is N full frames ({@link BusMessage.IdleBase} index 0..N-1 of loop length N), each held for its
 * hold count h(i) of video frames. Global frame k shows the loop frame whose span of the period
 * P = h(0) + ... + h(N-1) holds {@code k mod P} (loop frame {@code k mod N} when every hold is 1), a function of the
 * index alone. Until a loop frame arrives its hold counts as 1, so the spans settle once the loop is complete (the
 * renderer writes a loop in one append). A loop frame that has not arrived yet is stood in for by frame 0, or until that arrives by the first loop
 * frame that did (or the previous loop's), so a loop arriving frame by frame never flashes grey.
 */
final class FrameComposer {
    /** At most this many idle frames per session: each is a full frame held for the session's life. */
    static final int MAX_LOOP = io.facecast.bus.MediaFormat.MAX_IDLE_FRAMES;
    /** The longest a loop frame may be held, in video frames. */
    static final int MAX_HOLD = io.facecast.bus.MediaFormat.MAX_IDLE_HOLD;
    private static final byte MID_GREY = (byte) 128;

    final int width;
    final int height;
    private final byte[] frame;
    private byte[][] loop = new byte[1][];
    private int[] hold = {1};
    /** ends[i] = h(0) + ... + h(i): loop frame i shows at positions [ends[i-1], ends[i]) of the period ends[N-1]. */
    private long[] ends = {1};
    /** What a missing loop frame shows; null until any idle base arrived. */
    private byte[] standIn;
    /** Loop index of {@link #standIn} within the current loop, or -1 when it is left from an earlier loop. */
    private int standInIndex = -1;
    private BusMessage.IdleOverlay eyesClosed;
    /** What the frame holds now (identity for the base and eyes, which are never modified; content for a mouth). */
    private boolean composed;
    private byte[] lastBase;
    private BusMessage.IdleOverlay lastEyes;
    private BusMessage.Video lastMouth;

    FrameComposer(int width, int height) {
        this.width = width;
        this.height = height;
        this.frame = new byte[I420.size(width, height)];
    }

    byte[] frame() {
        return frame;
    }

    boolean hasBase() {
        return standIn != null;
    }

    int loopLength() {
        return loop.length;
    }

    /** Loop frame {@code i} as held (shared with other sessions: read only), or null before it arrived. */
    byte[] loopFrame(int i) {
        return loop[i];
    }

    /**
     * Accepts a full frame of exactly the session's size at a valid place in a loop of at most {@link #MAX_LOOP};
     * anything else is the renderer disagreeing on the spec. A different loop length starts a new loop.
     */
    boolean setBase(BusMessage.IdleBase r) {
        if (r.width() != width || r.height() != height || r.i420().length < frame.length) {
            return false;
        }
        int n = r.loopLength();
        int i = r.index();
        int h = r.hold();
        if (n < 1 || n > MAX_LOOP || i < 0 || i >= n || h < 1 || h > MAX_HOLD) {
            return false;
        }
        if (n != loop.length) {
            loop = new byte[n][];
            hold = new int[n];
            Arrays.fill(hold, 1);
            standInIndex = -1;
        }
        byte[] shared = SharedFrames.intern(r.i420()); // sessions of one pack hold its loop once
        loop[i] = shared;
        if (hold[i] != h || ends.length != hold.length) {
            hold[i] = h;
            long[] e = new long[hold.length];
            long sum = 0;
            for (int j = 0; j < hold.length; j++) {
                sum += hold[j];
                e[j] = sum;
            }
            ends = e;
        }
        if (i == 0 || standInIndex < 0 || standInIndex == i) {
            standIn = shared;
            standInIndex = i;
        }
        return true;
    }

    boolean setEyesClosed(BusMessage.IdleOverlay r) {
        if (!fits(r.region(), r.i420())) {
            return false;
        }
        eyesClosed = r;
        return true;
    }

    /** A patch lies inside the frame and carries all its bytes: checked once on arrival, not per frame. */
    boolean fits(BusMessage.Region region, byte[] i420) {
        int w = region.width(), h = region.height();
        return w > 0 && h > 0 && region.x() + w <= width && region.y() + h <= height && i420.length >= I420.size(w, h);
    }

    /**
     * Composes global frame {@code k} (k >= 0) into {@link #frame()}. Returns false, leaving the frame as it is, when
     * the picture is the one composed last: the same idle base, the same eyes, and a mouth patch of the same place and
     * bytes (an idle loop frame is held for several frames, and a mouth often stays a frame or two); composing it
     * again would copy the whole frame for nothing, and the sink can send its last frame again.
     */
    boolean compose(long k, boolean blink, BusMessage.Video mouth) {
        byte[] base = loop[loopIndex(k)];
        if (base == null) {
            base = standIn;
        }
        BusMessage.IdleOverlay eyes = blink ? eyesClosed : null;
        if (composed && base == lastBase && eyes == lastEyes && samePatch(mouth, lastMouth)) {
            lastMouth = mouth;
            return false;
        }
        composed = true;
        lastBase = base;
        lastEyes = eyes;
        lastMouth = mouth;
        if (base != null) {
            System.arraycopy(base, 0, frame, 0, frame.length);
        } else {
            Arrays.fill(frame, MID_GREY);
        }
        if (blink && eyesClosed != null) {
            lay(eyesClosed.region(), eyesClosed.i420());
        }
        if (mouth != null) {
            lay(mouth.region(), mouth.i420());
        }
        return true;
    }

    /** The next {@link #compose} counts as a change (the picture it makes was not delivered). */
    void forget() {
        composed = false;
    }

    /** Same place and same pixels (both absent counts as the same). */
    private static boolean samePatch(BusMessage.Video a, BusMessage.Video b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || !a.region().equals(b.region())) {
            return false;
        }
        int n = I420.size(a.region().width(), a.region().height());
        return Arrays.equals(a.i420(), 0, n, b.i420(), 0, n);
    }

    /** The loop frame global frame {@code k} shows. */
    int loopIndex(long k) {
        long[] e = ends;
        long pos = k % e[e.length - 1];
        int i = 0;
        while (e[i] <= pos) { // N <= 64: a scan is cheaper than anything cleverer
            i++;
        }
        return i;
    }

    private void lay(BusMessage.Region r, byte[] i420) {
        I420.overlay(frame, width, height, i420, r.x(), r.y(), r.width(), r.height());
    }
}
