package io.facecast.client.analysis;

import io.facecast.client.Recording;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds sync-marker flashes in received video: frames whose mouth box is (nearly) all white. The avatar's brightest
 * colours there are skin (luma ~194) and teeth (~231, a thin strip), the marker patch is studio white (235), so a
 * frame counts when at least {@link #MIN_WHITE_FRACTION} of the box is at or above {@link #WHITE_LUMA}. A run of such
 * frames (a repeated/held frame) is one flash, timed by its first frame.
 *
 * <p>Register it with {@link Recording#addAnalyzer}; it keeps only flash times, not frames.
 */
public final class FlashDetector implements Recording.FrameAnalyzer {
    public static final int WHITE_LUMA = 215;
    public static final double MIN_WHITE_FRACTION = 0.85;

    /** One flash: arrival (nanoTime) of its first white frame, and that frame's index among all frames received. */
    /**
     * @param shownNanos   when a player shows the frame (its render time; see {@link Recording.Frame#showNanos()})
     * @param arrivalNanos when the decoded frame reached us, usually some milliseconds before it is due on screen
     */
    public record Flash(long shownNanos, long arrivalNanos, long frameIndex, double whiteFraction) {}

    private final List<Flash> flashes = new ArrayList<>();
    private long frames;
    private boolean inFlash;
    private MouthBox box;
    private int boxFrameWidth;
    private int boxFrameHeight;

    @Override
    public void onFrame(Recording.Frame f) {
        double white = whiteFraction(f.i420(), f.width(), f.height());
        synchronized (this) {
            long index = frames++;
            boolean isWhite = white >= MIN_WHITE_FRACTION;
            if (isWhite && !inFlash) {
                flashes.add(new Flash(f.showNanos(), f.arrivalNanos(), index, white));
            }
            inFlash = isWhite;
        }
    }

    /** Fraction of mouth-box pixels at or above {@link #WHITE_LUMA}. */
    double whiteFraction(byte[] i420, int width, int height) {
        MouthBox b;
        synchronized (this) {
            if (box == null || boxFrameWidth != width || boxFrameHeight != height) {
                box = MouthBox.forFrame(width, height);
                boxFrameWidth = width;
                boxFrameHeight = height;
            }
            b = box;
        }
        int x1 = Math.min(width, b.x() + b.width());
        int y1 = Math.min(height, b.y() + b.height());
        long white = 0;
        long total = 0;
        for (int row = b.y(); row < y1; row++) {
            int base = row * width;
            for (int col = b.x(); col < x1; col++) {
                if ((i420[base + col] & 0xff) >= WHITE_LUMA) {
                    white++;
                }
                total++;
            }
        }
        return total == 0 ? 0 : (double) white / total;
    }

    public synchronized List<Flash> flashes() {
        return List.copyOf(flashes);
    }

    public synchronized long framesSeen() {
        return frames;
    }
}
