package io.facecast.renderer.neural;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FftTest {
    @Test
    void matchesTheDefinitionForWav2LipsSizeAndOthers() {
        for (int n : new int[] {1, 2, 5, 12, 800}) {
            Random rnd = new Random(n);
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = rnd.nextGaussian();
                im[i] = rnd.nextGaussian();
            }
            double[] outRe = new double[n], outIm = new double[n];
            new Fft(n).transform(re, im, outRe, outIm);
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int t = 0; t < n; t++) {
                    double a = -2 * Math.PI * ((long) k * t % n) / n;
                    sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
                    si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
                }
                assertEquals(sr, outRe[k], 1e-8, "n=" + n + " k=" + k);
                assertEquals(si, outIm[k], 1e-8, "n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void refusesSizesWithLargePrimeFactors() {
        assertThrows(IllegalArgumentException.class, () -> new Fft(2 * 11));
    }
}
