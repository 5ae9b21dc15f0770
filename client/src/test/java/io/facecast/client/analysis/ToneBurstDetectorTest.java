package io.facecast.client.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ToneBurstDetectorTest {
    private static final int RATE = 48_000;

    /** Voiced-speech-like: 200 Hz harmonics up to 4 kHz with random phases, loud, plus noise. */
    static short[] speechLike(int samples, long seed) {
        Random rnd = new Random(seed);
        double[] phase = new double[20];
        for (int h = 0; h < phase.length; h++) phase[h] = rnd.nextDouble() * 2 * Math.PI;
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            double v = 0;
            for (int h = 0; h < phase.length; h++) {
                v += 1500 * Math.sin(2 * Math.PI * 200 * (h + 1) * i / RATE + phase[h]);
            }
            v += rnd.nextGaussian() * 800;
            out[i] = (short) Math.max(-32768, Math.min(32767, v));
        }
        return out;
    }

    /** Replaces 20 ms at {@code at} with a 1 kHz burst starting at phase 0, like the renderer. */
    static void burst(short[] pcm, int at) {
        for (int i = 0; i < RATE / 50 && at + i < pcm.length; i++) {
            pcm[at + i] = (short) Math.round(0.5 * Short.MAX_VALUE * Math.sin(2 * Math.PI * 1000 * i / RATE));
        }
    }

    static byte[] bytes(short[] pcm) {
        byte[] b = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            b[2 * i] = (byte) pcm[i];
            b[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        return b;
    }

    @Test
    void findsEveryBurstInSpeechToWithinAQuarterOfAMillisecond() {
        short[] pcm = speechLike(5 * RATE, 1);
        int[] at = {1_337, RATE + 4_801, 2 * RATE + 17, 3 * RATE + 29_999, 4 * RATE + 12_345};
        for (int a : at) burst(pcm, a);
        List<ToneBurstDetector.Burst> found = ToneBurstDetector.detect(bytes(pcm), RATE);
        assertEquals(at.length, found.size(), found.toString());
        for (int i = 0; i < at.length; i++) {
            assertEquals(at[i], found.get(i).onsetSample(), 12.0, "burst " + i + ": " + found.get(i));
            assertEquals(16383, found.get(i).amplitude(), 500);
        }
    }

    @Test
    void speechAndSilenceAloneHoldNoBurst() {
        short[] pcm = speechLike(3 * RATE, 2);
        assertEquals(List.of(), ToneBurstDetector.detect(bytes(pcm), RATE));
        assertEquals(List.of(), ToneBurstDetector.detect(new byte[RATE * 2], RATE));
    }

    @Test
    void aLongSteadyToneIsNotAMarker() {
        short[] pcm = new short[RATE];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(16000 * Math.sin(2 * Math.PI * 1000 * i / RATE));
        }
        assertEquals(List.of(), ToneBurstDetector.detect(bytes(pcm), RATE));
    }

    @Test
    void aQuieterBurstAfterLossyCodingStillTimesItsOnset() {
        short[] pcm = new short[2 * RATE];
        burst(pcm, 30_000);
        // Halve the level and add noise, as a lossy codec and level changes might.
        Random rnd = new Random(3);
        for (int i = 0; i < pcm.length; i++) pcm[i] = (short) (pcm[i] / 2 + rnd.nextGaussian() * 100);
        List<ToneBurstDetector.Burst> found = ToneBurstDetector.detect(bytes(pcm), RATE);
        assertEquals(1, found.size());
        assertEquals(30_000, found.get(0).onsetSample(), 12.0);
    }
}
