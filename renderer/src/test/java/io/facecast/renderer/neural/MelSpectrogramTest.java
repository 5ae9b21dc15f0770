package io.facecast.renderer.neural;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MelSpectrogramTest {
    static short[] sine(double hz, int samples, double amplitude) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / MelSpectrogram.SAMPLE_RATE));
        }
        return s;
    }

    static float[][] mel(short[] pcm, int chunk) {
        StreamingMel m = new StreamingMel();
        for (int i = 0; i < pcm.length; i += chunk) {
            m.push(pcm, i, Math.min(pcm.length, i + chunk));
        }
        m.finish();
        float[][] frames = new float[m.frames()][MelSpectrogram.BANDS];
        float[] w = new float[MelSpectrogram.BANDS];
        for (int f = 0; f < frames.length; f++) {
            m.window(f, 1, w);
            frames[f] = w.clone();
        }
        return frames;
    }

    static int loudestBand(float[] frame) {
        int best = 0;
        for (int b = 1; b < frame.length; b++) {
            if (frame[b] > frame[best]) {
                best = b;
            }
        }
        return best;
    }

    /** The band whose triangle is centred closest to hz. */
    static int bandOf(double hz) {
        MelSpectrogram m = MelSpectrogram.get();
        int best = 0;
        for (int b = 1; b < MelSpectrogram.BANDS; b++) {
            if (Math.abs(m.bandCentreHz(b) - hz) < Math.abs(m.bandCentreHz(best) - hz)) {
                best = b;
            }
        }
        return best;
    }

    @Test
    void bandsSpanWav2LipsRangeOnTheSlaneyScale() {
        MelSpectrogram m = MelSpectrogram.get();
        assertTrue(m.bandCentreHz(0) > 55 && m.bandCentreHz(0) < 120, "first centre " + m.bandCentreHz(0));
        assertTrue(m.bandCentreHz(79) > 7000 && m.bandCentreHz(79) < 7600, "last centre " + m.bandCentreHz(79));
        // linear below 1 kHz: equal spacing there; log above: spacing grows
        assertEquals(m.bandCentreHz(2) - m.bandCentreHz(1), m.bandCentreHz(3) - m.bandCentreHz(2), 1e-6);
        assertTrue(m.bandCentreHz(79) - m.bandCentreHz(78) > 5 * (m.bandCentreHz(2) - m.bandCentreHz(1)));
        assertEquals(1000, MelSpectrogram.melToHz(MelSpectrogram.hzToMel(1000)), 1e-9);
        assertEquals(15, MelSpectrogram.hzToMel(1000), 1e-9);
    }

    @Test
    void aSinesEnergyLandsInItsBand() {
        for (double hz : new double[] {300, 1000, 2500, 6000}) {
            float[][] frames = mel(sine(hz, 16000, 0.5), 16000);
            float[] mid = frames[frames.length / 2];
            int loudest = loudestBand(mid);
            assertTrue(Math.abs(loudest - bandOf(hz)) <= 1, hz + " Hz: loudest band " + loudest + " ("
                    + MelSpectrogram.get().bandCentreHz(loudest) + " Hz), expected near " + bandOf(hz));
            assertTrue(mid[loudest] > 1.0, hz + " Hz peak " + mid[loudest]);
            // far from the tone there is (almost) nothing: the floor of the normalised scale is -4
            int far = bandOf(hz) > 40 ? 5 : 75;
            assertTrue(mid[far] < mid[loudest] - 3, hz + " Hz: band " + far + " at " + mid[far]);
        }
    }

    @Test
    void louderIsHigherAndSilenceIsTheFloor() {
        float quiet = mel(sine(1000, 8000, 0.05), 8000)[20][bandOf(1000)];
        float loud = mel(sine(1000, 8000, 0.5), 8000)[20][bandOf(1000)];
        // x10 amplitude = +20 dB = +1.6 on the [-100, 0] dB -> [-4, 4] scale
        assertEquals(1.6, loud - quiet, 0.1);
        for (float[] f : mel(new short[4000], 4000)) {
            for (float v : f) {
                assertEquals(MelSpectrogram.FLOOR, v);
            }
        }
    }

    @Test
    void framesAre12point5msCentredOnTheHopAndChunkingDoesNotMatter() {
        short[] pcm = MelSpectrogramTest.sine(700, 12_345, 0.3);
        float[][] whole = mel(pcm, pcm.length);
        assertEquals(1 + 12_345 / 200, whole.length, "librosa's centred frame count");
        float[][] chunked = mel(pcm, 37);
        assertEquals(whole.length, chunked.length);
        for (int f = 0; f < whole.length; f++) {
            assertArrayEquals(whole[f], chunked[f], 1e-6f, "frame " + f);
        }
    }

    @Test
    void aFrameIsComputedOnceHalfAWindowPastItsCentreHasArrived() {
        StreamingMel m = new StreamingMel();
        short[] pcm = sine(440, 1000, 0.3);
        m.push(pcm, 0, 600);
        assertEquals(1, m.frames(), "frame 0 needs samples up to 400 (its reflection), frame 1 up to 600");
        m.push(pcm, 600, 601);
        assertEquals(2, m.frames());
        float[] w = new float[80 * 16];
        assertThrows(IllegalStateException.class, () -> m.window(0, 16, w));
    }

    @Test
    void windowIsBandMajorAndPastTheEndUsesTheLast16Frames() {
        short[] pcm = sine(1000, 8000, 0.5); // 41 frames
        float[][] frames = mel(pcm, 8000);
        StreamingMel m = new StreamingMel();
        m.push(pcm, 0, pcm.length);
        m.finish();
        float[] w = new float[80 * 16];
        m.window(3, 16, w);
        assertEquals(frames[3 + 5][bandOf(1000)], w[bandOf(1000) * 16 + 5]);
        m.window(40, 16, w);
        assertEquals(frames[41 - 16][7], w[7 * 16]);
        m.discardBefore(20);
        assertThrows(IllegalStateException.class, () -> m.window(10, 16, w));
        m.window(25, 16, w);
        assertEquals(frames[25][7], w[7 * 16]);
    }
}
