package io.facecast.renderer.viseme;

import io.facecast.renderer.tts.PhonemeTiming;

import java.util.ArrayList;
import java.util.List;

/**
 * The poses of {@link MouthTrack} computed while phonemes keep arriving (speech synthesized sentence by sentence):
 * the same co-articulation window and smoothing, so a streamed utterance moves exactly like one rendered at once.
 * Frame j's pose depends on phonemes up to {@link #lookAheadSamples} past its end; the caller asks for it only once
 * those are known (or the speech is complete). Phonemes that can no longer matter are dropped as frames advance.
 */
public final class StreamingMouthTrack {
    private final int rate;
    private final int fps;
    private final List<PhonemeTiming> phonemes = new ArrayList<>();
    private int prevFrame = -2;
    private MouthParams prevRaw, curRaw;

    /** @param rate the sample clock of the phoneme timings */
    public StreamingMouthTrack(int rate, int fps) {
        if (rate <= 0 || fps <= 0) {
            throw new IllegalArgumentException("rate " + rate + ", fps " + fps);
        }
        this.rate = rate;
        this.fps = fps;
    }

    /** Phonemes later than all those added before, on the same clock. */
    public void add(List<PhonemeTiming> more) {
        phonemes.addAll(more);
    }

    /** How far past the end of frame j the phonemes must be known for its pose to be final. */
    public static int lookAheadSamples(int rate, int fps) {
        // frame j+1's window reaches (j + 1.5 + WINDOW/2) frames; frame j ends at j + 1
        return (int) Math.ceil((0.5 + MouthTrack.WINDOW_FRAMES / 2) * rate / fps);
    }

    /** Pose of frame {@code j}; frames must be asked for in order, each once. */
    public MouthParams next(int j) {
        if (j != prevFrame + 1 && !(prevFrame == -2 && j == 0)) {
            throw new IllegalStateException("frames in order: asked for " + j + " after " + prevFrame);
        }
        if (j == 0) {
            curRaw = raw(0);
            prevRaw = curRaw; // MouthTrack clamps the neighbour of frame 0 to itself
        }
        MouthParams next = raw(j + 1);
        MouthParams pose = MouthTrack.smooth(prevRaw, curRaw, next);
        prune(j);
        prevRaw = curRaw;
        curRaw = next;
        prevFrame = j;
        return pose;
    }

    private MouthParams raw(int j) {
        double frameSeconds = 1.0 / fps;
        double half = MouthTrack.WINDOW_FRAMES * frameSeconds / 2;
        double centre = (j + 0.5) * frameSeconds;
        return MouthTrack.blend(phonemes, rate, centre - half, centre + half);
    }

    /** Drops phonemes that end before the window of frame j + 1 (the earliest any later call looks at). */
    private void prune(int j) {
        double windowStart = (j + 1.5 - MouthTrack.WINDOW_FRAMES / 2) / fps;
        int drop = 0;
        while (drop < phonemes.size() && (double) phonemes.get(drop).endSample() / rate < windowStart) {
            drop++;
        }
        if (drop > 0) {
            phonemes.subList(0, drop).clear();
        }
    }
}
