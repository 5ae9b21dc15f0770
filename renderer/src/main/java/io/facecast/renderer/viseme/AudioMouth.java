package io.facecast.renderer.viseme;

import io.facecast.renderer.audio.BusAudio;

/**
 * Mouth poses from the audio signal alone (no text, no phonemes), one video frame at a time and with no look-ahead,
 * so a frame can be drawn as soon as its audio has arrived.
 *
 * <p>Every 10 ms hop gives two features: loudness (RMS in dB, relative to a slowly decaying peak so quiet and loud
 * recordings both use the whole range) and brightness (a spectral centroid estimate from the ratio of first-difference
 * energy to energy: for a sinusoid of frequency f that ratio is 2(1 - cos(2 pi f / rate))). Loudness opens the jaw;
 * a bright spectrum (EE, S) widens the lips and, for hiss-like sounds, nearly closes the teeth; a dark voiced spectrum
 * (OO, OH) rounds them. Each parameter is smoothed per hop with a fast attack and a slower release: the mouth opens
 * within a frame of an onset (no lag) but does not snap shut on every short dip (no flicker). A frame's pose is the
 * mean of the hops that ended inside it.
 */
public final class AudioMouth {
    static final int HOP = BusAudio.SAMPLE_RATE / 100;
    /** Below this the hop counts as silence whatever the peak. */
    private static final double GATE_DB = -55;
    /** Loudness range mapped onto openness 0..1, below the running peak. */
    private static final double RANGE_DB = 30;
    private static final double PEAK_FLOOR_DB = -32;
    private static final double PEAK_DECAY_DB_PER_HOP = 0.05;
    private static final double ATTACK = 0.6;
    private static final double RELEASE = 0.3;

    private final double[] hop = new double[HOP];
    private int hopFill;
    private double prevSample;
    private double peakDb = PEAK_FLOOR_DB;
    private double open, width = MouthParams.CLOSED.width(), round;
    private double sumOpen, sumWidth, sumRound;
    private int hopsInFrame;

    /** The pose for the frame whose 48 kHz samples are {@code pcm[from, to)}. */
    public MouthParams frame(short[] pcm, int from, int to) {
        for (int i = from; i < to; i++) {
            hop[hopFill++] = pcm[i];
            if (hopFill == HOP) {
                analyseHop();
                hopFill = 0;
            }
        }
        MouthParams pose = hopsInFrame == 0 ? new MouthParams(open, width, round)
                : new MouthParams(sumOpen / hopsInFrame, sumWidth / hopsInFrame, sumRound / hopsInFrame);
        sumOpen = sumWidth = sumRound = 0;
        hopsInFrame = 0;
        return pose;
    }

    private void analyseHop() {
        double energy = 0, diff = 0;
        double prev = prevSample;
        for (int i = 0; i < HOP; i++) {
            double x = hop[i];
            energy += x * x;
            double d = x - prev;
            diff += d * d;
            prev = x;
        }
        prevSample = prev;
        double rms = Math.sqrt(energy / HOP) / 32768.0;
        double db = 20 * Math.log10(Math.max(rms, 1e-9));
        peakDb = Math.max(PEAK_FLOOR_DB, Math.max(db, peakDb - PEAK_DECAY_DB_PER_HOP));

        double targetOpen, targetWidth, targetRound;
        if (db < GATE_DB) {
            targetOpen = 0;
            targetWidth = MouthParams.CLOSED.width();
            targetRound = 0;
        } else {
            double loud = clamp((db - (peakDb - RANGE_DB)) / RANGE_DB);
            double ratio = energy > 0 ? diff / energy : 0;
            double centroidHz = BusAudio.SAMPLE_RATE / (2 * Math.PI) * Math.acos(Math.max(-1, 1 - ratio / 2));
            double bright = clamp((centroidHz - 600) / 2400);
            double hiss = clamp((centroidHz - 3500) / 2500);
            double dark = clamp((700 - centroidHz) / 400);
            targetOpen = loud * (0.95 - 0.6 * hiss);
            targetWidth = 0.4 + 0.45 * bright - 0.25 * dark;
            targetRound = dark * loud;
        }
        open = smooth(open, targetOpen);
        width = smooth(width, targetWidth);
        round = smooth(round, targetRound);
        sumOpen += open;
        sumWidth += width;
        sumRound += round;
        hopsInFrame++;
    }

    private static double smooth(double current, double target) {
        return current + (target - current) * (target > current ? ATTACK : RELEASE);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
