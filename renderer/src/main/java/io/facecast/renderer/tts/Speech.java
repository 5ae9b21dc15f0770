package io.facecast.renderer.tts;

import java.util.List;

/**
 * Synthesized speech: mono s16 PCM at {@code sampleRate} and the phoneme timings in the same sample clock.
 * {@code timed} is false when the engine reports no phonemes at all (a remote speech endpoint): the mouth then
 * follows the audio instead.
 */
public record Speech(short[] pcm, int sampleRate, List<PhonemeTiming> phonemes, boolean timed) {
    public Speech {
        phonemes = List.copyOf(phonemes);
        if (!timed && !phonemes.isEmpty()) {
            throw new IllegalArgumentException("untimed speech carries no phonemes");
        }
    }

    public Speech(short[] pcm, int sampleRate, List<PhonemeTiming> phonemes) {
        this(pcm, sampleRate, phonemes, true);
    }

    /** Audio without phoneme timings. */
    public static Speech untimed(short[] pcm, int sampleRate) {
        return new Speech(pcm, sampleRate, List.of(), false);
    }

    public int samples() {
        return pcm.length;
    }
}
