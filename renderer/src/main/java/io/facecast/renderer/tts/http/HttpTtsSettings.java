package io.facecast.renderer.tts.http;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The renderer's HTTP speech backend settings (flags {@code --tts-http-url}, {@code --tts-http-key} or
 * FACECAST_TTS_HTTP_KEY, {@code --tts-http-model}). {@link #toString} never shows the key.
 */
public record HttpTtsSettings(String url, String key, String model) {
    public static final HttpTtsSettings NONE = new HttpTtsSettings(null, null, null);
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The backend, or empty when no URL is configured. */
    public Optional<HttpSpeechSynthesizer> backend() {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tts-http-url '" + url + "' is not a URL: " + e.getMessage());
        }
        return Optional.of(new HttpSpeechSynthesizer(uri, key, model, TIMEOUT));
    }

    @Override
    public String toString() {
        return "HttpTtsSettings[url=" + url + ", key=" + (key == null || key.isEmpty() ? "unset" : "set") + ", model=" + model + "]";
    }
}
