package io.facecast.renderer.session;

import io.facecast.bus.MediaFormat;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.RendererException;

import java.util.Set;

/** A session's validated frame size and rate. */
public record VideoFormat(int width, int height, int fps) {
    public static final int DEFAULT_SIZE = MediaFormat.DEFAULT_WIDTH; // square: width = height
    public static final int DEFAULT_FPS = MediaFormat.DEFAULT_FPS;
    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 1920;
    /** Rates that divide 48000, so every frame spans a whole number of audio samples. */
    public static final Set<Integer> FPS = MediaFormat.FPS;

    /** Zero fields take the defaults (512x512 @ 30). */
    public static VideoFormat of(MediaSpec spec) {
        int w = spec.getWidth() == 0 ? DEFAULT_SIZE : spec.getWidth();
        int h = spec.getHeight() == 0 ? MediaFormat.DEFAULT_HEIGHT : spec.getHeight();
        int fps = spec.getFps() == 0 ? DEFAULT_FPS : spec.getFps();
        checkSize("width", w);
        checkSize("height", h);
        if (!FPS.contains(fps)) {
            throw RendererException.invalid("media.fps " + Integer.toUnsignedString(fps) + " is not supported; use 24, 25 or 30 (0 = 30)");
        }
        return new VideoFormat(w, h, fps);
    }

    private static void checkSize(String what, int v) {
        if (v < MIN_SIZE || v > MAX_SIZE || (v & 1) != 0) {
            throw RendererException.invalid("media." + what + " " + Integer.toUnsignedString(v) + " is invalid; use an even number in "
                    + MIN_SIZE + ".." + MAX_SIZE + " (0 = " + DEFAULT_SIZE + ")");
        }
    }
}
