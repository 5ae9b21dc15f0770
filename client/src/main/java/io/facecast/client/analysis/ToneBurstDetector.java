package io.facecast.client.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds sync-marker tone bursts (20 ms of 1 kHz replacing the speech) in received mono s16le PCM, with the onset
 * located to within a few samples (under 0.25 ms even against loud speech: speech energy at 1 kHz just before the burst, and the ripple of
 * a partial-period DFT, shift the half-amplitude crossing slightly).
 *
 * <p>A sliding single-bin DFT over exactly one period of the tone ({@code rate/1000} samples, 1 ms at any rate) gives,
 * for every sample n, the tone amplitude {@code a[n]} of the window ending at n and, with the window's energy, its
 * purity (tone power / total power: 1 for a pure tone). A burst is a run of at least {@link #MIN_RUN_MILLIS} where
 * the tone is loud and pure; speech is never that pure at 1 kHz for that long. While the window slides onto the
 * tone, the amplitude grows linearly with the fraction of the window that holds it, so the onset is where the
 * amplitude crosses half the burst's steady amplitude, minus half a window (interpolated between samples).
 */
public final class ToneBurstDetector {
    public static final double TONE_HZ = 1000;
    /** The renderer's burst is 0.5 full scale (16383); the codec may shave some off. */
    public static final double MIN_AMPLITUDE = 4000;
    public static final double MIN_PURITY = 0.8;
    public static final double MIN_RUN_MILLIS = 8;
    public static final double MAX_RUN_MILLIS = 60;
    /** Bursts closer than this to the previous one are the same burst. */
    public static final double REFRACTORY_MILLIS = 300;

    /** One burst: the (fractional) sample index of its onset, its steady amplitude and how long it was detected. */
    public record Burst(double onsetSample, double amplitude, double runMillis) {}

    private ToneBurstDetector() {}

    public static List<Burst> detect(byte[] pcm, int sampleRate) {
        int n = pcm.length / 2;
        int window = (int) Math.round(sampleRate / TONE_HZ);
        double[] amp = new double[n];
        double[] purity = new double[n];
        double w = 2 * Math.PI * TONE_HZ / sampleRate;
        double re = 0, im = 0, energy = 0;
        for (int i = 0; i < n; i++) {
            double x = sample(pcm, i);
            double old = i >= window ? sample(pcm, i - window) : 0;
            // Direct sum over the window expressed incrementally: X = sum x[m] e^{-j w m} (absolute phase reference).
            re += x * Math.cos(w * i) - old * Math.cos(w * (i - window));
            im -= x * Math.sin(w * i) - old * Math.sin(w * (i - window));
            energy += x * x - old * old;
            if (i % 4096 == 0) {
                // Re-sum now and then so rounding cannot accumulate over minutes of audio.
                re = 0; im = 0; energy = 0;
                for (int m = Math.max(0, i - window + 1); m <= i; m++) {
                    double v = sample(pcm, m);
                    re += v * Math.cos(w * m);
                    im -= v * Math.sin(w * m);
                    energy += v * v;
                }
            }
            if (i + 1 >= window) {
                double a = 2 * Math.hypot(re, im) / window;
                amp[i] = a;
                double rms2 = Math.max(energy, 0) / window;
                purity[i] = rms2 <= 0 ? 0 : Math.min(1, a * a / 2 / rms2);
            }
        }
        List<Burst> bursts = new ArrayList<>();
        int minRun = (int) Math.round(MIN_RUN_MILLIS * sampleRate / 1000);
        int maxRun = (int) Math.round(MAX_RUN_MILLIS * sampleRate / 1000);
        double refractory = REFRACTORY_MILLIS * sampleRate / 1000;
        double lastOnset = Double.NEGATIVE_INFINITY;
        int i = 0;
        while (i < n) {
            if (!(amp[i] >= MIN_AMPLITUDE && purity[i] >= MIN_PURITY)) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && amp[i] >= MIN_AMPLITUDE && purity[i] >= MIN_PURITY) {
                i++;
            }
            int run = i - start;
            if (run < minRun || run > maxRun) {
                continue;
            }
            double steady = median(amp, start, i);
            double onset = onset(amp, start, i, steady, window);
            if (onset - lastOnset < refractory) {
                continue;
            }
            lastOnset = onset;
            bursts.add(new Burst(onset, steady, run * 1000.0 / sampleRate));
        }
        return bursts;
    }

    /** Where the amplitude rising into the run first reaches half of {@code steady}, interpolated. */
    private static double onset(double[] amp, int runStart, int runEnd, double steady, int window) {
        double half = steady / 2;
        int lo = Math.max(window, runStart - 2 * window);
        int m = runStart;
        while (m < runEnd - 1 && amp[m] < half) {
            m++;
        }
        while (m > lo && amp[m - 1] >= half) {
            m--;
        }
        double before = amp[m - 1];
        double after = amp[m];
        double frac = after == before ? 1 : (half - before) / (after - before);
        double crossing = m - 1 + Math.max(0, Math.min(1, frac));
        // The window ending at sample m covers [m - window + 1, m]; it holds half a window of a tone that began at s
        // when m - s + 1 = window / 2.
        return crossing + 1 - window / 2.0;
    }

    private static double median(double[] a, int from, int to) {
        double[] c = java.util.Arrays.copyOfRange(a, from, to);
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double sample(byte[] pcm, int i) {
        return (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
    }
}
