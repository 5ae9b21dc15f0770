package io.facecast.renderer.avatar;

import io.facecast.bus.I420;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.viseme.MouthParams;
import io.facecast.renderer.viseme.MouthShape;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DefaultAvatarTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void framesAndPatchesHaveTheDeclaredGeometry() {
        for (int[] size : new int[][] {{512, 512}, {64, 64}, {640, 360}, {1920, 1080}}) {
            DefaultAvatar a = new DefaultAvatar(size[0], size[1]);
            assertEquals(I420.size(size[0], size[1]), a.idleBase().length);
            for (Region r : new Region[] {a.mouthRegion(), a.eyesRegion()}) {
                assertTrue(r.x() + r.width() <= size[0] && r.y() + r.height() <= size[1], r + " inside " + size[0] + "x" + size[1]);
                assertTrue(r.width() > 0 && r.height() > 0);
            }
            assertEquals(I420.size(a.mouthRegion().width(), a.mouthRegion().height()), a.mouthPatch(MouthParams.CLOSED).length);
            assertEquals(I420.size(a.eyesRegion().width(), a.eyesRegion().height()), a.eyesClosedPatch().length);
        }
        Region m = new DefaultAvatar(512, 512).mouthRegion();
        assertTrue(m.width() >= 512 * 0.2 && m.width() <= 512 * 0.35, "mouth region about 30% wide: " + m);
        assertTrue(m.y() > 256, "mouth in the lower half: " + m);
    }

    @Test
    void closedMouthPatchMatchesTheIdleBase() {
        DefaultAvatar a = new DefaultAvatar(512, 512);
        Region r = a.mouthRegion();
        byte[] fromBase = I420.crop(a.idleBase(), 512, 512, r.x(), r.y(), r.width(), r.height());
        byte[] patch = a.mouthPatch(MouthShape.X.pose);
        assertTrue(meanAbsDiff(fromBase, patch) < 1.0, "rest patch blends into the base: " + meanAbsDiff(fromBase, patch));
    }

    @Test
    void openMouthIsDarkerThanClosedAndPosesDiffer() {
        DefaultAvatar a = new DefaultAvatar(512, 512);
        Region r = a.mouthRegion();
        double closed = I420.meanLuma(a.mouthPatch(MouthShape.A.pose), r.width(), 0, 0, r.width(), r.height());
        double open = I420.meanLuma(a.mouthPatch(MouthShape.D.pose), r.width(), 0, 0, r.width(), r.height());
        assertTrue(open < closed - 5, "open mouth shows the dark inside: open " + open + " closed " + closed);
        assertTrue(meanAbsDiff(a.mouthPatch(MouthShape.E.pose), a.mouthPatch(MouthShape.C.pose)) > 1, "round vs wide differ");
    }

    @Test
    void eyesClosedPatchDiffersFromOpenEyes() {
        DefaultAvatar a = new DefaultAvatar(512, 512);
        Region e = a.eyesRegion();
        byte[] open = I420.crop(a.idleBase(), 512, 512, e.x(), e.y(), e.width(), e.height());
        assertTrue(meanAbsDiff(open, a.eyesClosedPatch()) > 5);
    }

    @Test
    void rendersManyPatchesPerSecond() {
        DefaultAvatar a = new DefaultAvatar(512, 512);
        for (int i = 0; i < 100; i++) {
            a.mouthPatch(new MouthParams(i % 10 / 10.0, 0.5, 0.2));
        }
        int n = 600;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            a.mouthPatch(new MouthParams(i % 10 / 10.0, (i % 7) / 7.0, (i % 3) / 3.0));
        }
        double perSecond = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("mouth patches at 512x512: %.0f/s on one thread%n", perSecond);
        assertTrue(perSecond > 60, "well beyond real time at 30 fps: " + perSecond);
    }

    @Test
    void registryResolvesDefaultAndRejectsUnknown() {
        AvatarRegistry reg = AvatarRegistry.builtIn();
        assertEquals("default", reg.create("default", 128, 128).name());
        RendererException e = assertThrows(RendererException.class, () -> reg.create("gollum", 128, 128));
        assertEquals(Status.Code.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("default"), e.getMessage());
    }

    @Test
    void rgbToI420UsesBt601LimitedRange() {
        byte[] white = Rgb2I420.solid(2, 2, 0xFFFFFF);
        byte[] black = Rgb2I420.solid(2, 2, 0x000000);
        byte[] red = Rgb2I420.solid(2, 2, 0xFF0000);
        assertEquals(235, white[0] & 0xff);
        assertEquals(128, white[4] & 0xff);
        assertEquals(128, white[5] & 0xff);
        assertEquals(16, black[0] & 0xff);
        assertEquals(82, red[0] & 0xff);
        assertEquals(90, red[4] & 0xff);
        assertEquals(240, red[5] & 0xff);
    }

    static double meanAbsDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }
}
