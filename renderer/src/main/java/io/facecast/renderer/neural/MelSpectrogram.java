package io.facecast.renderer.neural;

/**
 * Wav2Lip's audio features: 16 kHz audio, pre-emphasis 0.97, STFT with an 800-sample periodic Hann window and hop 200
 * (12.5 ms, 80 frames a second; frames centred on multiples of the hop, reflect-padded at the ends), magnitude, 80
 * Slaney-style mel bands (area-normalised triangles, 55 to 7600 Hz, librosa's default filter bank), then
 * {@code 20 log10(max(1e-5, m)) - 20} dB mapped from [-100, 0] dB to [-4, 4] and clipped. Stateless and
 * thread-safe; {@link StreamingMel} feeds it.
 */
public final class MelSpectrogram {
    public static final int SAMPLE_RATE = 16_000;
    public static final int N_FFT = 800;
    public static final int HOP = 200;
    public static final int BANDS = 80;
    public static final double FMIN = 55, FMAX = 7600;
    public static final double PREEMPHASIS = 0.97;
    /** Frames per second of audio. */
    public static final int FRAME_RATE = SAMPLE_RATE / HOP;
    /** The value of a silent band: the floor of the normalised range. */
    public static final float FLOOR = -4f;

    private static final double REF_LEVEL_DB = 20, MIN_LEVEL_DB = -100, MAX_ABS = 4;

    private static final MelSpectrogram INSTANCE = new MelSpectrogram();

    private final Fft fft = new Fft(N_FFT);
    private final double[] window = new double[N_FFT];
    /** Band b's non-zero weights cover FFT bins [first[b], first[b] + weights[b].length). */
    private final int[] first = new int[BANDS];
    private final double[][] weights = new double[BANDS][];
    private final double[] centreHz = new double[BANDS];

    private MelSpectrogram() {
        for (int i = 0; i < N_FFT; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / N_FFT);
        }
        double lo = hzToMel(FMIN), hi = hzToMel(FMAX);
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(lo + (hi - lo) * i / (BANDS + 1));
        }
        int bins = N_FFT / 2 + 1;
        for (int b = 0; b < BANDS; b++) {
            double left = edges[b], centre = edges[b + 1], right = edges[b + 2];
            centreHz[b] = centre;
            double norm = 2 / (right - left);
            double[] w = new double[bins];
            int from = -1, to = -1;
            for (int k = 0; k < bins; k++) {
                double f = (double) k * SAMPLE_RATE / N_FFT;
                double v = Math.max(0, Math.min((f - left) / (centre - left), (right - f) / (right - centre))) * norm;
                w[k] = v;
                if (v > 0) {
                    if (from < 0) {
                        from = k;
                    }
                    to = k + 1;
                }
            }
            if (from < 0) { // a band narrower than one bin gets no energy, as in librosa
                from = 0;
                to = 0;
            }
            first[b] = from;
            weights[b] = java.util.Arrays.copyOfRange(w, from, to);
        }
    }

    public static MelSpectrogram get() {
        return INSTANCE;
    }

    /** Centre frequency of band {@code b} in Hz. */
    public double bandCentreHz(int b) {
        return centreHz[b];
    }

    /**
     * One frame: {@code frame} holds the N_FFT pre-emphasised samples (in [-1, 1]) centred on the frame's time;
     * writes 80 normalised values into {@code out[outOff...]}.
     */
    public void frame(double[] frame, float[] out, int outOff) {
        double[] re = new double[N_FFT], im = new double[N_FFT], zero = new double[N_FFT], outIm = new double[N_FFT];
        for (int i = 0; i < N_FFT; i++) {
            re[i] = frame[i] * window[i];
        }
        double[] outRe = new double[N_FFT];
        fft.transform(re, zero, outRe, outIm);
        double[] mag = new double[N_FFT / 2 + 1];
        for (int k = 0; k < mag.length; k++) {
            mag[k] = Math.hypot(outRe[k], outIm[k]);
        }
        for (int b = 0; b < BANDS; b++) {
            double[] w = weights[b];
            double sum = 0;
            for (int k = 0; k < w.length; k++) {
                sum += w[k] * mag[first[b] + k];
            }
            double db = 20 * Math.log10(Math.max(1e-5, sum)) - REF_LEVEL_DB;
            double v = 2 * MAX_ABS * (db - MIN_LEVEL_DB) / -MIN_LEVEL_DB - MAX_ABS;
            out[outOff + b] = (float) Math.max(-MAX_ABS, Math.min(MAX_ABS, v));
        }
    }

    /** Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above. */
    static double hzToMel(double hz) {
        double fsp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fsp, logStep = Math.log(6.4) / 27;
        return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logStep : hz / fsp;
    }

    static double melToHz(double mel) {
        double fsp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fsp, logStep = Math.log(6.4) / 27;
        return mel >= minLogMel ? minLogHz * Math.exp(logStep * (mel - minLogMel)) : mel * fsp;
    }
}
