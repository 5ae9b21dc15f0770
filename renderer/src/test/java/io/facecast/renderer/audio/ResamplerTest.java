package io.facecast.renderer.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ResamplerTest {
    @Test
    void upsamplingTripleTheLength() {
        assertEquals(48000, new Resampler(16000, 48000).resample(new short[16000]).length);
        assertEquals(3 * 1234, new Resampler(16000, 48000).resample(new short[1234]).length);
        assertEquals(44100, new Resampler(48000, 44100).resample(new short[48000]).length);
    }

    @Test
    void aSineKeepsItsFrequencyAndAmplitude() {
        short[] in = sine(440, 16000, 16000, 10000);
        short[] out = new Resampler(16000, 48000).resample(in);
        // Skip the filter's edges; count zero crossings over exactly one second's worth of the middle.
        assertEquals(440, frequency(out, 48000, 4800, 48000 - 4800), 2);
        assertEquals(10000, peak(out, 4800, 48000 - 4800), 300);
    }

    @Test
    void downsamplingKeepsInBandToneAndRemovesOutOfBandTone() {
        short[] low = new Resampler(48000, 16000).resample(sine(1000, 48000, 48000, 10000));
        assertEquals(1000, frequency(low, 16000, 1600, 16000 - 1600), 3);
        short[] alias = new Resampler(48000, 16000).resample(sine(12000, 48000, 48000, 10000));
        assertTrue(peak(alias, 1600, 16000 - 1600) < 300, "12 kHz is above 8 kHz Nyquist and must be filtered out");
    }

    @Test
    void dcPassesUnchanged() {
        short[] in = new short[1000];
        java.util.Arrays.fill(in, (short) 1234);
        short[] out = new Resampler(16000, 48000).resample(in);
        for (int i = 100; i < out.length - 100; i++) {
            assertEquals(1234, out[i], 1);
        }
    }

    static short[] sine(double hz, int rate, int n, double amp) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amp * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    static double frequency(short[] s, int rate, int from, int to) {
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if ((s[i - 1] < 0) != (s[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / ((double) (to - from) / rate);
    }

    static int peak(short[] s, int from, int to) {
        int p = 0;
        for (int i = from; i < to; i++) {
            p = Math.max(p, Math.abs(s[i]));
        }
        return p;
    }
}
