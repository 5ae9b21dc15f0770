package io.facecast.renderer.tts;

import java.util.List;

/**
 * Synthesized speech: mono s16 PCM at {@code sampleRate} and the phoneme timings in the same sample clock.
 * {@code timed} is false when the engine reports no phonemes at all (a remote speech endpoint): the mouth then
 * follows the audio instead.
 */
public record Speech(short[] pcm, int sampleRate, List<PhonemeTiming> phonemes, boolean timed, List<WordTiming> words) {
    public Speech {
        phonemes = List.copyOf(phonemes);
        words = List.copyOf(words);
        if (!timed && !phonemes.isEmpty()) {
            throw new IllegalArgumentException("untimed speech carries no phonemes");
        }
    }

    public Speech(short[] pcm, int sampleRate, List<PhonemeTiming> phonemes) {
        this(pcm, sampleRate, phonemes, true);
    }

    /** Without word timings (the engine reports none). */
    public Speech(short[] pcm, int sampleRate, List<PhonemeTiming> phonemes, boolean timed) {
        this(pcm, sampleRate, phonemes, timed, List.of());
    }

    /** With where each word of the text starts. */
    public Speech withWords(List<WordTiming> words) {
        return new Speech(pcm, sampleRate, phonemes, timed, words);
    }

    /** Audio without phoneme timings. */
    public static Speech untimed(short[] pcm, int sampleRate) {
        return new Speech(pcm, sampleRate, List.of(), false);
    }

    public int samples() {
        return pcm.length;
    }
}
