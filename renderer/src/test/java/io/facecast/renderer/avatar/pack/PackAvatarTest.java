package io.facecast.renderer.avatar.pack;

import io.facecast.bus.I420;
import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthParams;
import io.facecast.renderer.viseme.MouthShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PackAvatarTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void patchesHaveTheRegionsOfTheProceduralFaceAtEverySize() {
        AvatarPack pack = BuiltInPacks.get("default");
        for (int[] size : new int[][] {{512, 512}, {256, 256}, {640, 360}, {360, 640}, {1280, 720}, {64, 64}}) {
            PackAvatar a = new PackAvatar(pack, size[0], size[1]);
            DefaultAvatar d = new DefaultAvatar(size[0], size[1]);
            String at = size[0] + "x" + size[1];
            assertEquals(d.mouthRegion(), a.mouthRegion(), at);
            assertEquals(d.eyesRegion(), a.eyesRegion(), at);
            assertEquals(I420.size(size[0], size[1]), a.idleBase().length, at);
            Region m = a.mouthRegion(), e = a.eyesRegion();
            assertEquals(I420.size(e.width(), e.height()), a.eyesClosedPatch().length, at);
            for (MouthShape s : MouthShape.values()) {
                assertEquals(I420.size(m.width(), m.height()), a.mouthPatch(s.pose).length, at + " " + s);
            }
        }
    }

    @Test
    void theDefaultPackLooksLikeTheProceduralFace() {
        PackAvatar a = new PackAvatar(BuiltInPacks.get("default"), 512, 512);
        DefaultAvatar d = new DefaultAvatar(512, 512);
        assertTrue(meanAbsDiff(d.idleBase(), a.idleBase()) < 0.5);
        assertTrue(meanAbsDiff(d.eyesClosedPatch(), a.eyesClosedPatch()) < 0.5);
        for (MouthShape s : MouthShape.values()) {
            assertTrue(meanAbsDiff(d.mouthPatch(s.pose), a.mouthPatch(s.pose)) < 0.5, s.name());
        }
        // scaled, it stays close to the face drawn at that size
        PackAvatar small = new PackAvatar(BuiltInPacks.get("default"), 256, 256);
        double diff = meanAbsDiff(new DefaultAvatar(256, 256).idleBase(), small.idleBase());
        assertTrue(diff < 3, "scaled base differs by " + diff);
    }

    @Test
    void letterboxBandsContinueTheEdgeNotBlack() {
        PackAvatar a = new PackAvatar(BuiltInPacks.get("default"), 640, 360);
        byte[] f = a.idleBase();
        // 512 scaled to 360: content spans x 140..500; the bands repeat the content's edge column
        for (int y = 0; y < 360; y += 37) {
            int edge = f[y * 640 + 141] & 0xff;
            assertTrue(edge > 100, "sky is light");
            assertEquals(edge, f[y * 640] & 0xff, 1.0, "row " + y);
            assertEquals(f[y * 640 + 498] & 0xff, f[y * 640 + 639] & 0xff, 1.0, "row " + y);
        }
    }

    @Test
    void anExactShapeShowsThatImageAndHalfwayCrossFades() {
        PackAvatar a = new PackAvatar(BuiltInPacks.get("default"), 512, 512);
        for (MouthShape s : MouthShape.values()) {
            if (s != MouthShape.A && s != MouthShape.X) { // A and X are nearly the same pose; either image is right
                assertArrayEquals(a.shapePatch(s), a.mouthPatch(s.pose), s.name());
            }
        }
        MouthParams half = MouthShape.C.pose.lerp(MouthShape.D.pose, 0.5);
        VisemeBlend b = VisemeBlend.of(half);
        assertEquals(java.util.Set.of(MouthShape.C, MouthShape.D), java.util.Set.of(b.first(), b.second()));
        assertEquals(0.5, b.secondWeight(), 1e-9);
        byte[] c = a.shapePatch(MouthShape.C), d = a.shapePatch(MouthShape.D), mix = a.mouthPatch(half);
        for (int i = 0; i < mix.length; i++) {
            assertEquals(((c[i] & 0xff) + (d[i] & 0xff)) / 2.0, mix[i] & 0xff, 1.0);
        }
    }

    @Test
    void theMouthMovesSmoothlyAlongAPoseSweep() {
        // Nearest image alone would jump by the whole difference between two shapes at once; the cross-fade spreads it.
        PackAvatar a = new PackAvatar(BuiltInPacks.get("default"), 512, 512);
        MouthShape[] path = {MouthShape.X, MouthShape.B, MouthShape.C, MouthShape.D, MouthShape.E, MouthShape.F, MouthShape.A};
        for (int k = 0; k + 1 < path.length; k++) {
            double shapes = meanAbsDiff(a.shapePatch(path[k]), a.shapePatch(path[k + 1]));
            byte[] prev = a.mouthPatch(path[k].pose);
            double worst = 0;
            for (int i = 1; i <= 100; i++) {
                byte[] p = a.mouthPatch(path[k].pose.lerp(path[k + 1].pose, i / 100.0));
                worst = Math.max(worst, meanAbsDiff(prev, p));
                prev = p;
            }
            String seg = path[k] + "->" + path[k + 1];
            assertTrue(worst < 0.35 * shapes, seg + ": a 1% pose step changed the patch by " + worst
                    + " while the two shapes differ by " + shapes);
        }
    }

    @Test
    void theShippedPacksDiffer() {
        PackAvatar def = new PackAvatar(BuiltInPacks.get("default"), 512, 512);
        PackAvatar ada = new PackAvatar(BuiltInPacks.get("ada"), 512, 512);
        assertEquals("ada", ada.name());
        assertTrue(meanAbsDiff(def.idleBase(), ada.idleBase()) > 20, "a different face");
        assertTrue(meanAbsDiff(def.mouthPatch(MouthShape.D.pose), ada.mouthPatch(MouthShape.D.pose)) > 10, "a different mouth");
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
