package io.facecast.renderer.viseme;

import io.facecast.renderer.tts.PhonemeTiming;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MouthTrackTest {
    private static final int RATE = 16000;
    private static final int FPS = 30;

    @Test
    void silenceIsClosed() {
        MouthTrack t = new MouthTrack(List.of(new PhonemeTiming("pau", 0, RATE)), RATE, FPS, 30);
        for (int j = 0; j < 30; j++) {
            assertEquals(0.0, t.at(j).openness(), 1e-9);
        }
        assertEquals(0.0, t.at(99).openness(), "past the end: rest");
    }

    @Test
    void vowelsOpenWiderThanLipClosures() {
        double aa = steady("aa").openness();
        double m = steady("m").openness();
        double b = steady("b").openness();
        double p = steady("p").openness();
        assertTrue(aa > 0.7, "aa opens wide: " + aa);
        assertTrue(m < 0.05 && b < 0.05 && p < 0.05, "m/b/p are closed: " + m + " " + b + " " + p);
        assertTrue(steady("ow").roundness() > steady("iy").roundness(), "ow is rounder than iy");
        assertTrue(steady("iy").width() > steady("uw").width(), "iy is wider than uw");
    }

    @Test
    void shapesFollowPrestonBlair() {
        assertEquals(MouthShape.A, PhonemeVisemes.shapeOf("m"));
        assertEquals(MouthShape.D, PhonemeVisemes.shapeOf("aa"));
        assertEquals(MouthShape.D, PhonemeVisemes.shapeOf("AA1"), "stress digits and case are ignored");
        assertEquals(MouthShape.G, PhonemeVisemes.shapeOf("f"));
        assertEquals(MouthShape.F, PhonemeVisemes.shapeOf("w"));
        assertEquals(MouthShape.X, PhonemeVisemes.shapeOf("pau"));
        assertEquals(MouthShape.B, PhonemeVisemes.shapeOf("zz-unknown"));
    }

    @Test
    void transitionsAreSmoothEvenForShortAlternatingPhonemes() {
        // 40 ms alternating "aa"/"m": the raw targets would flip between wide open and shut every frame or so.
        List<PhonemeTiming> ph = new ArrayList<>();
        ph.add(new PhonemeTiming("pau", 0, 3200));
        int t = 3200;
        for (int i = 0; i < 20; i++) {
            ph.add(new PhonemeTiming(i % 2 == 0 ? "aa" : "m", t, t + 640));
            t += 640;
        }
        ph.add(new PhonemeTiming("pau", t, t + 6400));
        int frames = (t + 6400) * FPS / RATE;
        MouthTrack track = new MouthTrack(ph, RATE, FPS, frames);
        double maxStep = 0, maxOpen = 0;
        for (int j = 1; j < frames; j++) {
            maxStep = Math.max(maxStep, Math.abs(track.at(j).openness() - track.at(j - 1).openness()));
            maxOpen = Math.max(maxOpen, track.at(j).openness());
        }
        assertTrue(maxStep <= 0.35, "no frame-to-frame jump above 0.35, max was " + maxStep);
        assertTrue(maxOpen > 0.2, "the mouth still moves: " + maxOpen);
        assertEquals(0.0, track.at(frames - 1).openness(), 1e-9, "closed after the final pause");
        assertEquals(0.0, track.at(0).openness(), 1e-9);
    }

    @Test
    void openingRampsOverSeveralFrames() {
        List<PhonemeTiming> ph = List.of(new PhonemeTiming("pau", 0, 8000), new PhonemeTiming("aa", 8000, 16000),
                new PhonemeTiming("pau", 16000, 24000));
        MouthTrack track = new MouthTrack(ph, RATE, FPS, 45);
        int partial = 0;
        for (int j = 0; j < 45; j++) {
            double o = track.at(j).openness();
            if (o > 0.05 && o < 0.85) {
                partial++;
            }
        }
        assertTrue(partial >= 4, "intermediate poses on the way in and out, got " + partial);
    }

    private static MouthParams steady(String phoneme) {
        MouthTrack t = new MouthTrack(List.of(new PhonemeTiming(phoneme, 0, RATE)), RATE, FPS, 30);
        return t.at(15);
    }
}
