package io.facecast.renderer.tts;

import java.util.Set;

/** Text to speech with phoneme timings. Implementations are thread-safe. */
public interface SpeechSynthesizer {
    /**
     * @throws io.facecast.renderer.RendererException NOT_FOUND when {@code voice} is not one of {@link #voices()}
     */
    Speech synthesize(String text, String voice);

    Set<String> voices();
}
