package io.facecast.renderer.neural;

import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.Region;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FaceCropTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void theBoxHoldsTheMouthInItsLowerHalfAndStaysInTheFrame() {
        DefaultAvatar a = new DefaultAvatar(512, 512);
        FaceCrop c = FaceCrop.around(a.mouthRegion(), 512, 512, 96);
        Region m = a.mouthRegion();
        assertTrue(c.boxX() <= m.x() && c.boxX() + c.side() >= m.x() + m.width());
        assertTrue(m.y() >= c.boxY() + c.side() / 2, "mouth top " + m.y() + " above the box middle");
        assertTrue(m.y() + m.height() <= c.boxY() + c.side());
        // near an edge the box shifts inside instead of leaving the frame
        FaceCrop edge = FaceCrop.around(new Region(0, 200, 60, 40), 256, 256, 96);
        assertEquals(0, edge.boxX());
        assertTrue(edge.boxY() + edge.side() <= 256);
    }

    @Test
    void inputIsMaskedCropThenReferenceInBgrPlanes() {
        int w = 200, h = 200;
        int[] rgb = new int[w * h];
        java.util.Arrays.fill(rgb, 0x336699);
        FaceCrop c = FaceCrop.around(new Region(80, 120, 40, 20), w, h, 96);
        float[] in = c.input(rgb);
        int plane = 96 * 96;
        assertEquals(6 * plane, in.length);
        assertEquals(0x99 / 255f, in[0], 1e-6);                 // B of the masked crop, top half
        assertEquals(0, in[plane - 1]);                          // masked crop, bottom half
        assertEquals(0x66 / 255f, in[5 * plane - 1], 1e-6); // G plane of the reference, bottom row
        assertEquals(0x33 / 255f, in[6 * plane - 1], 1e-6);     // R of the reference, bottom half kept
    }

    @Test
    void shrinkingAndSamplingBackIsNearlyLosslessOnASmoothImage() {
        int w = 320, h = 320;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) * 255 / (w + h));
            }
        }
        Region mouth = new Region(120, 200, 80, 40);
        FaceCrop c = FaceCrop.around(mouth, w, h, 96);
        float[] ref = c.shrink(rgb);
        int[] back = c.mouthRgb(ref, new int[w * h]); // blend base black: only the feathered rim may differ
        int worst = 0;
        for (int row = FaceCrop.FEATHER; row < mouth.height() - FaceCrop.FEATHER; row++) {
            for (int col = FaceCrop.FEATHER; col < mouth.width() - FaceCrop.FEATHER; col++) {
                int p = back[row * mouth.width() + col], q = rgb[(mouth.y() + row) * w + mouth.x() + col];
                for (int s = 0; s < 24; s += 8) {
                    worst = Math.max(worst, Math.abs((p >> s & 0xff) - (q >> s & 0xff)));
                }
            }
        }
        assertTrue(worst <= 2, "round trip off by " + worst + " levels");
    }

    @Test
    void theAvatarsMouthSurvivesTheRoundTripAndTheRimBlendsIntoTheFace() {
        DefaultAvatar a = new DefaultAvatar(256, 256);
        int[] rgb = I420ToRgb.convert(a.idleBase(), 256, 256);
        FaceCrop c = FaceCrop.around(a.mouthRegion(), 256, 256, 96);
        Region m = a.mouthRegion();
        int[] back = c.mouthRgb(c.shrink(rgb), rgb);
        double err = 0;
        for (int row = 0; row < m.height(); row++) {
            for (int col = 0; col < m.width(); col++) {
                int p = back[row * m.width() + col], q = rgb[(m.y() + row) * 256 + m.x() + col];
                err += Math.abs((p >> 8 & 0xff) - (q >> 8 & 0xff));
            }
        }
        err /= m.width() * m.height();
        assertTrue(err < 6, "mean green error " + err);
        assertEquals(rgb[m.y() * 256 + m.x()], back[0], "the corner is the face's own pixel");
        // an output of pure white shows white in the middle of the region, not at its corner
        float[] white = new float[3 * 96 * 96];
        java.util.Arrays.fill(white, 1f);
        int[] w = c.mouthRgb(white, rgb);
        assertEquals(0xFFFFFF, w[(m.height() / 2) * m.width() + m.width() / 2]);
        assertNotEquals(0xFFFFFF, w[0]);
    }
}
