package io.facecast.renderer.viseme;

import io.facecast.renderer.audio.TestAudio;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AudioMouthTest {
    static final int FRAME = 1600; // 30 fps at 48 kHz

    static List<MouthParams> frames(AudioMouth m, short[] pcm) {
        List<MouthParams> out = new ArrayList<>();
        for (int at = 0; at + FRAME <= pcm.length; at += FRAME) {
            out.add(m.frame(pcm, at, at + FRAME));
        }
        return out;
    }

    /** A voiced vowel-like sound: a 150 Hz fundamental with formant-ish harmonics. */
    static short[] vowel(int samples, double f2) {
        short[] a = TestAudio.sine(150, 48000, samples, 5000);
        short[] b = TestAudio.sine(600, 48000, samples, 4000);
        short[] c = TestAudio.sine(f2, 48000, samples, 2500);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) (a[i] + b[i] + c[i]);
        }
        return out;
    }

    @Test
    void silenceKeepsTheMouthClosed() {
        for (MouthParams p : frames(new AudioMouth(), new short[48000])) {
            assertEquals(0, p.openness(), 1e-9);
        }
    }

    @Test
    void mouthOpensWithinAFrameOfSpeechAndClosesSoonAfterIt() {
        short[] pcm = TestAudio.concat(new short[10 * FRAME], vowel(20 * FRAME, 1800), new short[10 * FRAME]);
        List<MouthParams> f = frames(new AudioMouth(), pcm);
        assertEquals(0, f.get(9).openness(), 1e-9);
        assertTrue(f.get(10).openness() > 0.4, "opens in the first speech frame (no lag): " + f.get(10));
        assertTrue(f.get(11).openness() > 0.6, "wide open by the second: " + f.get(11));
        assertTrue(f.get(31).openness() < 0.35, "closing in the first silent frame: " + f.get(31));
        assertTrue(f.get(33).openness() < 0.05, "closed two frames later: " + f.get(33));
    }

    @Test
    void shortGapsInsideSpeechDoNotMakeTheMouthFlicker() {
        // 30 ms on / 10 ms off, as between syllables: the mouth must not slam shut on each gap.
        short[] on = vowel(1440, 1800);
        short[] speech = new short[0];
        for (int i = 0; i < 30; i++) {
            speech = TestAudio.concat(speech, on, new short[480]);
        }
        List<MouthParams> f = frames(new AudioMouth(), speech);
        double maxStep = 0;
        for (int j = 4; j < f.size(); j++) {
            maxStep = Math.max(maxStep, Math.abs(f.get(j).openness() - f.get(j - 1).openness()));
            assertTrue(f.get(j).openness() > 0.5, "frame " + j + " stays open: " + f.get(j));
        }
        assertTrue(maxStep < 0.15, "frame-to-frame openness change " + maxStep);
    }

    @Test
    void spectrumShapesTheLips() {
        MouthParams dark = last(frames(new AudioMouth(), TestAudio.sine(300, 48000, 20 * FRAME, 9000)));
        MouthParams bright = last(frames(new AudioMouth(), vowel(20 * FRAME, 2600)));
        MouthParams hiss = last(frames(new AudioMouth(), TestAudio.noise(20 * FRAME, 6000, 1)));
        assertTrue(dark.roundness() > 0.6, "OO-like dark sound rounds the lips: " + dark);
        assertTrue(bright.roundness() < 0.2 && bright.width() > dark.width() + 0.2, "bright vowel is wide: " + bright + " vs " + dark);
        assertTrue(hiss.openness() < bright.openness() * 0.6, "hiss keeps the teeth nearly together: " + hiss + " vs " + bright);
        assertTrue(hiss.width() > 0.7, "hiss spreads the lips: " + hiss);
    }

    @Test
    void quietRecordingsStillUseTheWholeRange() {
        short[] quiet = TestAudio.sine(200, 48000, 30 * FRAME, 500); // peaks at -36 dBFS
        MouthParams p = last(frames(new AudioMouth(), quiet));
        assertTrue(p.openness() > 0.6, p.toString());
    }

    static MouthParams last(List<MouthParams> f) {
        return f.get(f.size() - 1);
    }
}
