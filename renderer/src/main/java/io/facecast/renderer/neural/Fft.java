package io.facecast.renderer.neural;

/**
 * Mixed-radix decimation-in-time FFT for any size whose prime factors are small (Wav2Lip's 800 = 2^5 x 5^2, which a
 * power-of-two FFT cannot do). Twiddles are computed once; {@link #transform} uses caller-owned buffers, so one
 * instance serves any number of threads.
 */
final class Fft {
    private final int n;
    private final double[] cos, sin;

    Fft(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT size " + n);
        }
        for (int m = n, p = 2; m > 1; ) {
            if (m % p == 0) {
                m /= p;
            } else if (++p > 7) {
                throw new IllegalArgumentException("FFT size " + n + " has a prime factor above 7");
            }
        }
        this.n = n;
        cos = new double[n];
        sin = new double[n];
        for (int k = 0; k < n; k++) {
            double a = -2 * Math.PI * k / n;
            cos[k] = Math.cos(a);
            sin[k] = Math.sin(a);
        }
    }

    int size() {
        return n;
    }

    /** Forward DFT of {@code inRe + i inIm} into {@code outRe + i outIm} (all of length {@link #size()}). */
    void transform(double[] inRe, double[] inIm, double[] outRe, double[] outIm) {
        recurse(inRe, inIm, n, 0, 1, outRe, outIm, 0, new double[14]);
    }

    private void recurse(double[] inRe, double[] inIm, int len, int inOff, int stride,
                         double[] outRe, double[] outIm, int outOff, double[] tmp) {
        if (len == 1) {
            outRe[outOff] = inRe[inOff];
            outIm[outOff] = inIm[inOff];
            return;
        }
        int p = smallestFactor(len);
        int m = len / p;
        for (int r = 0; r < p; r++) {
            recurse(inRe, inIm, m, inOff + r * stride, stride * p, outRe, outIm, outOff + r * m, tmp);
        }
        int scale = n / len; // W_len^e = W_n^(e * scale)
        for (int k = 0; k < m; k++) {
            for (int r = 0; r < p; r++) {
                int t = (r * k * scale) % n;
                double re = outRe[outOff + r * m + k], im = outIm[outOff + r * m + k];
                tmp[2 * r] = re * cos[t] - im * sin[t];
                tmp[2 * r + 1] = re * sin[t] + im * cos[t];
            }
            for (int q = 0; q < p; q++) {
                double sumRe = 0, sumIm = 0;
                for (int r = 0; r < p; r++) {
                    int t = (int) ((long) r * q * m * scale % n);
                    sumRe += tmp[2 * r] * cos[t] - tmp[2 * r + 1] * sin[t];
                    sumIm += tmp[2 * r] * sin[t] + tmp[2 * r + 1] * cos[t];
                }
                outRe[outOff + q * m + k] = sumRe;
                outIm[outOff + q * m + k] = sumIm;
            }
        }
    }

    private static int smallestFactor(int len) {
        for (int p = 2; p <= 7; p++) {
            if (len % p == 0) {
                return p;
            }
        }
        throw new IllegalStateException("unreachable: " + len);
    }
}
