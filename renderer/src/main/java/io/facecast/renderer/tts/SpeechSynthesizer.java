package io.facecast.renderer.tts;

import io.facecast.renderer.RendererException;

import java.util.Set;

/** Text to speech with phoneme timings. Implementations are thread-safe. */
public interface SpeechSynthesizer {
    /**
     * @throws io.facecast.renderer.RendererException NOT_FOUND when {@code voice} is not one of {@link #voices()}
     */
    Speech synthesize(String text, String voice);

    /** The voices by name; a backend that accepts open-ended names lists what it can. */
    Set<String> voices();

    /**
     * What {@code ListVoices} shows for this backend: one entry per voice name, language and backend unknown unless
     * the implementation says more.
     */
    default java.util.List<io.facecast.api.v1.VoiceInfo> catalog() {
        return voices().stream().map(v -> io.facecast.api.v1.VoiceInfo.newBuilder().setName(v).build()).toList();
    }

    /**
     * Checks a voice before a session uses it, without synthesizing.
     *
     * @throws RendererException NOT_FOUND with the voices to choose from
     */
    default void requireVoice(String voice) {
        if (!voices().contains(voice)) {
            throw RendererException.notFound("unknown voice '" + voice + "'; known voices: " + voices());
        }
    }
}
