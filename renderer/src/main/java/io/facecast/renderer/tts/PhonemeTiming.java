package io.facecast.renderer.tts;

/** One phoneme (ARPAbet as FreeTTS spells it, "pau" for silence) over samples [startSample, endSample). */
public record PhonemeTiming(String phoneme, int startSample, int endSample) {
    public PhonemeTiming {
        if (endSample < startSample) {
            throw new IllegalArgumentException(phoneme + " ends (" + endSample + ") before it starts (" + startSample + ")");
        }
    }
}
