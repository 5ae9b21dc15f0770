package io.facecast.client.analysis;

import io.facecast.client.I420Images;
import io.facecast.client.Recording;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class FlashDetectorTest {
    private static final int SKIN = 194, LIP = 113, TEETH = 231, WHITE = 235;

    /** A frame like the default avatar's: skin, a lip line and a teeth strip in the mouth region (188..324 x 294..378). */
    static byte[] face(int w, int h, boolean flash) {
        byte[] f = new byte[I420Images.frameSize(w, h)];
        Arrays.fill(f, 0, w * h, (byte) SKIN);
        Arrays.fill(f, w * h, f.length, (byte) 128);
        double s = Math.min(w, h) / 512.0, ox = (w - 512 * s) / 2, oy = (h - 512 * s) / 2;
        int x0 = (int) (ox + 188 * s), x1 = (int) (ox + 324 * s), y0 = (int) (oy + 294 * s), y1 = (int) (oy + 378 * s);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int v;
                if (flash) v = WHITE;
                else if (Math.abs(y - (y0 + y1) / 2) < 4) v = TEETH;
                else if (Math.abs(y - (y0 + y1) / 2) < 12) v = LIP;
                else v = SKIN;
                f[y * w + x] = (byte) v;
            }
        }
        return f;
    }

    @Test
    void aWhiteMouthFrameIsOneFlashTimedByItsFirstFrame() {
        FlashDetector d = new FlashDetector();
        boolean[] pattern = {false, false, true, false, false, true, true, false};
        for (int i = 0; i < pattern.length; i++) {
            d.onFrame(new Recording.Frame(face(512, 512, pattern[i]), 512, 512, 1000L + i));
        }
        assertEquals(2, d.flashes().size(), d.flashes().toString());
        assertEquals(1002L, d.flashes().get(0).arrivalNanos());
        assertEquals(2, d.flashes().get(0).frameIndex());
        assertEquals(1005L, d.flashes().get(1).arrivalNanos());
        assertEquals(8, d.framesSeen());
    }

    @Test
    void theBoxFollowsTheFrameSize() {
        for (int[] size : new int[][]{{640, 360}, {320, 320}, {1280, 720}}) {
            FlashDetector d = new FlashDetector();
            d.onFrame(new Recording.Frame(face(size[0], size[1], false), size[0], size[1], 1));
            d.onFrame(new Recording.Frame(face(size[0], size[1], true), size[0], size[1], 2));
            assertEquals(1, d.flashes().size(), Arrays.toString(size));
            assertEquals(2, d.flashes().get(0).arrivalNanos());
        }
    }

    @Test
    void mouthBoxAt512IsInsideTheRenderersMouthRegion() {
        MouthBox b = MouthBox.forFrame(512, 512);
        assertTrue(b.x() >= 188 && b.x() + b.width() <= 324 && b.y() >= 294 && b.y() + b.height() <= 378, b.toString());
        assertTrue(b.width() * b.height() > 5000, b.toString());
    }
}
