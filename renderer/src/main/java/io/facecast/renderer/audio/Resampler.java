package io.facecast.renderer.audio;

/**
 * Rational polyphase windowed-sinc resampler for mono s16 PCM (Kaiser-like Blackman window, cutoff just below the
 * lower Nyquist frequency so upsampling leaves no images and downsampling no aliases). The filter table is built
 * once per rate pair; {@link #resample} is thread-safe.
 */
public final class Resampler {
    /** Taps on each side of the centre: 16 gives > 60 dB stopband with the Blackman window, cheap enough here. */
    private static final int HALF_TAPS = 16;

    private final int fromRate;
    private final int toRate;
    private final int up;
    private final int down;
    private final float[][] phases;

    public Resampler(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("rates must be positive: " + fromRate + " -> " + toRate);
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        if (up > 4096) {
            throw new IllegalArgumentException("rate ratio " + toRate + "/" + fromRate + " needs too many filter phases");
        }
        this.phases = buildPhases();
    }

    /** Whether a resampler between these rates can be built (the ratio needs at most 4096 filter phases). */
    public static boolean supports(int fromRate, int toRate) {
        return fromRate > 0 && toRate > 0 && toRate / gcd(fromRate, toRate) <= 4096;
    }

    public int fromRate() { return fromRate; }

    public int toRate() { return toRate; }

    /** Output length is floor(in.length * toRate / fromRate). */
    public short[] resample(short[] in) {
        if (up == down) {
            return in.clone();
        }
        int outLen = (int) ((long) in.length * up / down);
        short[] out = new short[outLen];
        for (int n = 0; n < outLen; n++) {
            long pos = (long) n * down;          // position in units of 1/up input samples
            int base = (int) (pos / up);
            float[] h = phases[(int) (pos % up)];
            double acc = 0;
            int first = base - HALF_TAPS + 1;
            for (int k = 0; k < h.length; k++) {
                int idx = first + k;
                if (idx >= 0 && idx < in.length) {
                    acc += in[idx] * h[k];
                }
            }
            long v = Math.round(acc);
            out[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return out;
    }

    /**
     * A stateful resampler over a stream of chunks: the concatenated output of {@link Stream#push} and
     * {@link Stream#flush} equals {@link #resample} of the concatenated input. An output sample is produced as soon as
     * the HALF_TAPS input samples after it have arrived, so the added latency is under half a millisecond.
     */
    public Stream stream() {
        return new Stream();
    }

    public final class Stream {
        private short[] buf = new short[4096];
        private long bufStart;   // absolute input index of buf[0]
        private int len;         // samples held in buf
        private long outCount;   // absolute index of the next output sample

        private Stream() {}

        public short[] push(short[] in) {
            if (up == down) {
                return in.clone();
            }
            append(in);
            return produce(bufStart + len, false);
        }

        /** The outputs that still depend on samples past the end (taken as silence, as {@link #resample} does). */
        public short[] flush() {
            if (up == down) {
                return new short[0];
            }
            return produce(bufStart + len, true);
        }

        private void append(short[] in) {
            if (len + in.length > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + in.length));
            }
            System.arraycopy(in, 0, buf, len, in.length);
            len += in.length;
        }

        private short[] produce(long inCount, boolean final_) {
            long total = inCount * up / down;
            long n = outCount;
            short[] out = new short[(int) Math.max(0, total - n)];
            int produced = 0;
            for (; n < total; n++) {
                long pos = n * down;
                long base = pos / up;
                if (!final_ && base + HALF_TAPS >= inCount) {
                    break; // needs samples that have not arrived yet
                }
                float[] h = phases[(int) (pos % up)];
                double acc = 0;
                long first = base - HALF_TAPS + 1;
                for (int k = 0; k < h.length; k++) {
                    long idx = first + k;
                    if (idx >= 0 && idx < inCount) {
                        acc += buf[(int) (idx - bufStart)] * h[k];
                    }
                }
                long v = Math.round(acc);
                out[produced++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            }
            outCount = n;
            // Keep only what later outputs can still reach.
            long keepFrom = Math.max(bufStart, (n * down) / up - HALF_TAPS + 1);
            int drop = (int) Math.min(len, keepFrom - bufStart);
            if (drop > 0) {
                System.arraycopy(buf, drop, buf, 0, len - drop);
                len -= drop;
                bufStart += drop;
            }
            return produced == out.length ? out : java.util.Arrays.copyOf(out, produced);
        }
    }

    /** phases[p][k]: weight of input sample (base - HALF_TAPS + 1 + k) for an output at base + p/up. */
    private float[][] buildPhases() {
        double cutoff = 0.95 * Math.min(1.0, (double) toRate / fromRate); // fraction of the input Nyquist
        float[][] table = new float[up][2 * HALF_TAPS];
        for (int p = 0; p < up; p++) {
            double frac = (double) p / up;
            double sum = 0;
            for (int k = 0; k < 2 * HALF_TAPS; k++) {
                double x = (k - HALF_TAPS + 1) - frac; // distance from output point, in input samples
                double w = blackman((x + HALF_TAPS) / (2.0 * HALF_TAPS));
                double v = cutoff * sinc(cutoff * x) * w;
                table[p][k] = (float) v;
                sum += v;
            }
            for (int k = 0; k < 2 * HALF_TAPS; k++) {
                table[p][k] /= sum; // unity DC gain for every phase: no ripple on steady signals
            }
        }
        return table;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-9) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Blackman window over t in [0, 1]. */
    private static double blackman(double t) {
        if (t <= 0 || t >= 1) {
            return 0;
        }
        return 0.42 - 0.5 * Math.cos(2 * Math.PI * t) + 0.08 * Math.cos(4 * Math.PI * t);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
