package io.facecast.streamer.schedule;

import io.facecast.bus.BusRecord;
import io.facecast.bus.I420;

import java.util.Arrays;

/**
 * Builds a session's full frames in one reusable buffer: idle base (mid-grey until it arrives, never black), the
 * eyes-closed overlay while blinking, and the mouth patch while speaking.
 */
final class FrameComposer {
    private static final byte MID_GREY = (byte) 128;

    final int width;
    final int height;
    private final byte[] frame;
    private byte[] base;
    private BusRecord eyesClosed;

    FrameComposer(int width, int height) {
        this.width = width;
        this.height = height;
        this.frame = new byte[I420.size(width, height)];
    }

    byte[] frame() {
        return frame;
    }

    boolean hasBase() {
        return base != null;
    }

    /** Accepts a full frame of exactly the session's size; anything else is the renderer disagreeing on the spec. */
    boolean setBase(BusRecord r) {
        if (r.frameWidth() != width || r.frameHeight() != height || r.regionX() != 0 || r.regionY() != 0
                || r.regionWidth() != width || r.regionHeight() != height || r.payload().length < frame.length) {
            return false;
        }
        base = r.payload();
        return true;
    }

    boolean setEyesClosed(BusRecord r) {
        if (!fits(r)) {
            return false;
        }
        eyesClosed = r;
        return true;
    }

    /** A patch lies inside the frame and carries all its bytes: checked once on arrival, not per frame. */
    boolean fits(BusRecord patch) {
        int w = patch.regionWidth(), h = patch.regionHeight();
        return w > 0 && h > 0 && patch.regionX() + w <= width && patch.regionY() + h <= height
                && patch.payload().length >= I420.size(w, h);
    }

    void compose(boolean blink, BusRecord mouth) {
        if (base != null) {
            System.arraycopy(base, 0, frame, 0, frame.length);
        } else {
            Arrays.fill(frame, MID_GREY);
        }
        if (blink && eyesClosed != null) {
            lay(eyesClosed);
        }
        if (mouth != null) {
            lay(mouth);
        }
    }

    private void lay(BusRecord p) {
        I420.overlay(frame, width, height, p.payload(), p.regionX(), p.regionY(), p.regionWidth(), p.regionHeight());
    }
}
