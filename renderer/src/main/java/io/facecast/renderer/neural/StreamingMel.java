package io.facecast.renderer.neural;

import java.util.Arrays;

/**
 * {@link MelSpectrogram} over audio that arrives in chunks: frame k (centred on sample k x HOP) is computed as soon as
 * the sample half a window after its centre is in; after {@link #finish} the rest, as librosa's centred STFT gives
 * {@code 1 + samples / HOP} frames. The ends are reflect-padded, as in librosa 0.7, the version Wav2Lip pins. Samples and frames no longer needed are dropped as the caller
 * moves on ({@link #discardBefore}). Not thread-safe: one utterance, one render thread.
 */
public final class StreamingMel {
    private static final int HALF = MelSpectrogram.N_FFT / 2;
    private static final int BANDS = MelSpectrogram.BANDS;

    private final MelSpectrogram mel = MelSpectrogram.get();
    /** Pre-emphasised samples [sampleBase, sampleBase + sampleLen) of the utterance. */
    private double[] samples = new double[8192];
    private long sampleBase;
    private int sampleLen;
    private double prev;
    /** Mel frames [frameBase, frameBase + frameLen), BANDS floats each. */
    private float[] frames = new float[BANDS * 256];
    private int frameBase;
    private int frameLen;
    private boolean finished;
    private final double[] window = new double[MelSpectrogram.N_FFT];

    /** 16 kHz samples, in order. */
    public void push(short[] pcm, int from, int to) {
        if (finished) {
            throw new IllegalStateException("audio after finish()");
        }
        ensureSamples(to - from);
        for (int i = from; i < to; i++) {
            double x = pcm[i] / 32768.0;
            samples[sampleLen++] = x - MelSpectrogram.PREEMPHASIS * prev;
            prev = x;
        }
        long received = sampleBase + sampleLen;
        while ((long) nextFrame() * MelSpectrogram.HOP + HALF < received) {
            computeNext();
        }
    }

    /** No more audio: the frames that reach past the end are computed with zeros there. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        long total = sampleBase + sampleLen;
        int count = (int) (1 + total / MelSpectrogram.HOP);
        while (nextFrame() < count) {
            computeNext();
        }
    }

    public boolean finished() {
        return finished;
    }

    /** Frames computed so far (including dropped ones). */
    public int frames() {
        return frameBase + frameLen;
    }

    /**
     * The [80 x 16] window starting at frame {@code start}, band-major (out[b * 16 + t]), as Wav2Lip slices it; past
     * the end of a finished stream the last 16 frames, and bands of frames before the first as silence.
     */
    public void window(int start, int steps, float[] out) {
        if (start + steps > frames()) {
            if (!finished) {
                throw new IllegalStateException("frames up to " + (start + steps) + " not computed yet");
            }
            start = frames() - steps;
        }
        for (int t = 0; t < steps; t++) {
            int f = start + t;
            if (f >= 0 && f < frameBase) {
                throw new IllegalStateException("frame " + f + " already discarded");
            }
            for (int b = 0; b < BANDS; b++) {
                out[b * steps + t] = f < 0 ? MelSpectrogram.FLOOR : frames[(f - frameBase) * BANDS + b];
            }
        }
    }

    /** Frames before {@code frame}, and the samples only they used, are no longer needed. */
    public void discardBefore(int frame) {
        int drop = Math.min(frame, frames()) - frameBase;
        if (drop <= 0) {
            return;
        }
        System.arraycopy(frames, drop * BANDS, frames, 0, (frameLen - drop) * BANDS);
        frameBase += drop;
        frameLen -= drop;
        long keepFrom = Math.max(0, (long) nextFrame() * MelSpectrogram.HOP - HALF);
        int dropSamples = (int) Math.min(sampleLen, keepFrom - sampleBase);
        if (dropSamples > 0) {
            System.arraycopy(samples, dropSamples, samples, 0, sampleLen - dropSamples);
            sampleBase += dropSamples;
            sampleLen -= dropSamples;
        }
    }

    private int nextFrame() {
        return frameBase + frameLen;
    }

    private void computeNext() {
        long start = (long) nextFrame() * MelSpectrogram.HOP - HALF;
        for (int i = 0; i < window.length; i++) {
            window[i] = sample(start + i);
        }
        if ((frameLen + 1) * BANDS > frames.length) {
            frames = Arrays.copyOf(frames, frames.length * 2);
        }
        mel.frame(window, frames, frameLen * BANDS);
        frameLen++;
    }

    /** Sample s, reflected at both ends of the utterance as librosa 0.7's centred STFT (Wav2Lip's) pads. */
    private double sample(long s) {
        long total = sampleBase + sampleLen;
        if (s < 0) {
            s = -s;
        } else if (s >= total) {
            s = 2 * (total - 1) - s;
        }
        return s < sampleBase || s >= total ? 0 : samples[(int) (s - sampleBase)];
    }

    private void ensureSamples(int more) {
        if (sampleLen + more > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(samples.length * 2, sampleLen + more));
        }
    }
}
