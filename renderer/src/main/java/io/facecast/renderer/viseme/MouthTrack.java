package io.facecast.renderer.viseme;

import io.facecast.renderer.tts.PhonemeTiming;

import java.util.List;

/**
 * Mouth pose for every video frame of an utterance.
 *
 * <p>Co-articulation: each frame's target is the time-weighted blend of the shapes under a window 1.5 frames wide
 * centred on the frame, so a mouth starts forming the next shape before its phoneme starts and a 20 ms phoneme can
 * not flash a lone shape. Lip closures (M/B/P) get extra weight because a missing closure is the most visible
 * lip-sync error. A [1/4, 1/2, 1/4] pass over neighbouring frames then removes remaining frame-to-frame jitter.
 * Time outside every phoneme is the rest pose, so silence and the end pad are closed.
 */
public final class MouthTrack {
    static final double WINDOW_FRAMES = 1.5;
    private static final double CLOSURE_WEIGHT = 2.5;

    private final MouthParams[] frames;

    public MouthTrack(List<PhonemeTiming> phonemes, int phonemeSampleRate, int fps, int frameCount) {
        if (fps <= 0 || phonemeSampleRate <= 0 || frameCount < 0) {
            throw new IllegalArgumentException("fps " + fps + ", rate " + phonemeSampleRate + ", frames " + frameCount);
        }
        MouthParams[] raw = new MouthParams[frameCount];
        double frameSeconds = 1.0 / fps;
        double half = WINDOW_FRAMES * frameSeconds / 2;
        for (int j = 0; j < frameCount; j++) {
            double centre = (j + 0.5) * frameSeconds;
            raw[j] = blend(phonemes, phonemeSampleRate, centre - half, centre + half);
        }
        frames = new MouthParams[frameCount];
        for (int j = 0; j < frameCount; j++) {
            MouthParams prev = raw[Math.max(0, j - 1)];
            MouthParams next = raw[Math.min(frameCount - 1, j + 1)];
            frames[j] = smooth(prev, raw[j], next);
        }
    }

    /** The [1/4, 1/2, 1/4] pass over a frame and its neighbours. */
    static MouthParams smooth(MouthParams prev, MouthParams cur, MouthParams next) {
        return new MouthParams(
                0.25 * prev.openness() + 0.5 * cur.openness() + 0.25 * next.openness(),
                0.25 * prev.width() + 0.5 * cur.width() + 0.25 * next.width(),
                0.25 * prev.roundness() + 0.5 * cur.roundness() + 0.25 * next.roundness());
    }

    public int frameCount() {
        return frames.length;
    }

    /** Pose of frame {@code j}; frames past the end are at rest. */
    public MouthParams at(int j) {
        return j >= 0 && j < frames.length ? frames[j] : MouthShape.X.pose;
    }

    static MouthParams blend(List<PhonemeTiming> phonemes, int rate, double from, double to) {
        double o = 0, w = 0, r = 0, total = 0, covered = 0;
        for (PhonemeTiming p : phonemes) {
            double s = (double) p.startSample() / rate;
            double e = (double) p.endSample() / rate;
            double overlap = Math.min(e, to) - Math.max(s, from);
            if (overlap <= 0) {
                continue;
            }
            covered += overlap;
            MouthShape shape = PhonemeVisemes.shapeOf(p.phoneme());
            double weight = overlap * (shape == MouthShape.A ? CLOSURE_WEIGHT : 1.0);
            o += shape.pose.openness() * weight;
            w += shape.pose.width() * weight;
            r += shape.pose.roundness() * weight;
            total += weight;
        }
        double uncovered = Math.max(0, (to - from) - covered);
        MouthParams rest = MouthShape.X.pose;
        o += rest.openness() * uncovered;
        w += rest.width() * uncovered;
        r += rest.roundness() * uncovered;
        total += uncovered;
        return total == 0 ? rest : new MouthParams(o / total, w / total, r / total);
    }
}
