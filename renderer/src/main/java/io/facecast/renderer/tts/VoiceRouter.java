package io.facecast.renderer.tts;

import io.facecast.renderer.RendererException;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks the TTS backend from the session's voice string: {@code espeak:<voice>} goes to espeak-ng,
 * {@code http:<voice>} to the configured speech endpoint, anything else to the embedded engine (FreeTTS:
 * "default", "kevin16"). The part after the prefix is the backend's own voice name.
 */
public final class VoiceRouter implements SpeechSynthesizer {
    public static final String ESPEAK = "espeak:";
    public static final String HTTP = "http:";

    private final SpeechSynthesizer embedded;
    private final Optional<? extends SpeechSynthesizer> espeak;
    private final Optional<? extends SpeechSynthesizer> http;

    /** @param espeak empty when libespeak-ng is not installed; @param http empty when no endpoint is configured */
    public VoiceRouter(SpeechSynthesizer embedded, Optional<? extends SpeechSynthesizer> espeak,
                       Optional<? extends SpeechSynthesizer> http) {
        this.embedded = embedded;
        this.espeak = espeak;
        this.http = http;
    }

    @Override
    public Speech synthesize(String text, String voice) {
        Route r = route(voice);
        return r.backend.synthesize(text, r.name);
    }

    @Override
    public void requireVoice(String voice) {
        Route r = route(voice);
        if (r.backend == embedded && !embedded.voices().contains(voice)) {
            throw RendererException.notFound("unknown voice '" + voice + "'; known voices: " + voices());
        }
        r.backend.requireVoice(r.name);
    }

    /** The embedded voices, then one pattern per available backend ("espeak:<voice>", "http:<voice>"). */
    @Override
    public Set<String> voices() {
        Set<String> out = new TreeSet<>(embedded.voices());
        espeak.ifPresent(e -> out.add(ESPEAK + "<voice>"));
        http.ifPresent(h -> out.add(HTTP + "<voice>"));
        return out;
    }

    /**
     * Every voice a session can name: the embedded FreeTTS voices (US English), one "espeak:&lt;language&gt;" per
     * installed espeak-ng voice (its first language), and "http:&lt;voice&gt;" as a pattern when an endpoint is set.
     */
    @Override
    public java.util.List<io.facecast.api.v1.VoiceInfo> catalog() {
        java.util.List<io.facecast.api.v1.VoiceInfo> out = new java.util.ArrayList<>();
        for (String v : new TreeSet<>(embedded.voices())) {
            out.add(io.facecast.api.v1.VoiceInfo.newBuilder().setName(v).setLanguage("en-us").setBackend("freetts").build());
        }
        espeak.ifPresent(e -> {
            for (String v : new TreeSet<>(e.voices())) {
                out.add(io.facecast.api.v1.VoiceInfo.newBuilder().setName(ESPEAK + v).setLanguage(v).setBackend("espeak").build());
            }
        });
        http.ifPresent(h -> out.add(io.facecast.api.v1.VoiceInfo.newBuilder().setName(HTTP + "<voice>").setBackend("http")
                .setPattern(true).build()));
        return out;
    }

    private record Route(SpeechSynthesizer backend, String name) {}

    private Route route(String voice) {
        if (voice != null && voice.startsWith(ESPEAK)) {
            SpeechSynthesizer e = espeak.orElseThrow(() -> RendererException.notFound(
                    "voice '" + voice + "' needs espeak-ng, but espeak-ng is not installed on the renderer (apt-get install espeak-ng)"));
            return new Route(e, voice.substring(ESPEAK.length()));
        }
        if (voice != null && voice.startsWith(HTTP)) {
            SpeechSynthesizer h = http.orElseThrow(() -> RendererException.notFound(
                    "voice '" + voice + "' needs the HTTP speech backend, which is not configured on this renderer"
                            + " (start it with --tts-http-url, e.g. http://127.0.0.1:8000/v1/audio/speech)"));
            return new Route(h, voice.substring(HTTP.length()));
        }
        return new Route(embedded, voice);
    }
}
