package io.facecast.renderer.tts;

import java.util.List;

/** Synthesized speech: mono s16 PCM at {@code sampleRate} and the phoneme timings in the same sample clock. */
public record Speech(short[] pcm, int sampleRate, List<PhonemeTiming> phonemes) {
    public Speech {
        phonemes = List.copyOf(phonemes);
    }

    public int samples() {
        return pcm.length;
    }
}
