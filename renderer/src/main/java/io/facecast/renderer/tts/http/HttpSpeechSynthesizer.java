package io.facecast.renderer.tts.http;

import io.facecast.renderer.RendererException;
import io.facecast.renderer.audio.WavDecoder;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.SpeechSynthesizer;
import io.grpc.Status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * An OpenAI-compatible speech endpoint ({@code POST /v1/audio/speech} with {@code {model, input, voice,
 * response_format: "wav"}}, Bearer key): OpenAI itself or a local server speaking the same API. The reply is a
 * 16-bit PCM WAV, often with streaming-placeholder sizes. Such endpoints report no phonemes, so the speech is
 * {@link Speech#untimed untimed} and the mouth follows the audio.
 *
 * <p>The key goes into the Authorization header only: it is never logged and never part of an error message
 * (an endpoint that echoes it back has it masked).
 */
public final class HttpSpeechSynthesizer implements SpeechSynthesizer {
    public static final String DEFAULT_MODEL = "tts-1";
    /** What the endpoint's error body may add to a message. */
    private static final int MAX_ERROR_CHARS = 200;

    private final URI endpoint;
    private final String key;
    private final String model;
    private final Duration timeout;
    private final HttpClient client;

    /** @param key the Bearer key, or null/empty for an endpoint without auth */
    public HttpSpeechSynthesizer(URI endpoint, String key, String model, Duration timeout) {
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("speech endpoint must be an http(s) URL, was '" + endpoint + "'");
        }
        this.endpoint = endpoint;
        this.key = key == null ? "" : key;
        this.model = model == null || model.isBlank() ? DEFAULT_MODEL : model;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public String model() {
        return model;
    }

    /** The endpoint decides which voices exist; none can be listed. */
    @Override
    public Set<String> voices() {
        return Set.of();
    }

    @Override
    public void requireVoice(String voice) {
        if (voice == null || voice.isBlank() || voice.length() > 64) {
            throw RendererException.notFound("HTTP voice '" + voice + "' is not a voice name; use http:<voice>, e.g. http:alloy");
        }
    }

    @Override
    public Speech synthesize(String text, String voice) {
        requireVoice(voice);
        String json = "{\"model\":" + JsonStrings.quote(model) + ",\"input\":" + JsonStrings.quote(text)
                + ",\"voice\":" + JsonStrings.quote(voice) + ",\"response_format\":\"wav\"}";
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (!key.isEmpty()) {
            req.header("Authorization", "Bearer " + key);
        }
        HttpResponse<byte[]> res;
        try {
            res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new RendererException(Status.Code.UNAVAILABLE, "speech endpoint " + endpoint + " did not answer within "
                    + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new RendererException(Status.Code.UNAVAILABLE, "speech endpoint " + endpoint + " is unreachable: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RendererException(Status.Code.CANCELLED, "interrupted while waiting for the speech endpoint");
        }
        if (res.statusCode() != 200) {
            throw failure(res.statusCode(), res.body());
        }
        return decode(res.body());
    }

    private Speech decode(byte[] body) {
        WavDecoder wav = new WavDecoder();
        try {
            short[] pcm = wav.decode(body);
            wav.finish();
            return Speech.untimed(pcm, wav.sampleRate());
        } catch (RendererException e) {
            throw new RendererException(Status.Code.UNAVAILABLE, "speech endpoint " + endpoint
                    + " answered 200 but not with usable audio (" + e.getMessage() + "); it must honour response_format \"wav\"");
        }
    }

    /** The endpoint's status decides the code: the caller's input (4xx), the renderer's setup (401/403), or the service. */
    RendererException failure(int status, byte[] body) {
        String detail = "speech endpoint " + endpoint + " answered HTTP " + status + detail(body);
        Status.Code code;
        String hint;
        if (status == 401 || status == 403) {
            code = Status.Code.FAILED_PRECONDITION;
            hint = "; the renderer's key was refused: check --tts-http-key / FACECAST_TTS_HTTP_KEY";
        } else if (status == 429) {
            code = Status.Code.RESOURCE_EXHAUSTED;
            hint = "; the endpoint is rate limiting, retry later";
        } else if (status == 404 && body.length == 0) {
            code = Status.Code.UNAVAILABLE;
            hint = "; is --tts-http-url the full speech path (e.g. http://127.0.0.1:8000/v1/audio/speech)?";
        } else if (status >= 400 && status < 500) {
            code = Status.Code.INVALID_ARGUMENT;
            hint = "; the endpoint refused the request (check the voice name and --tts-http-model)";
        } else {
            code = Status.Code.UNAVAILABLE;
            hint = "";
        }
        return new RendererException(code, detail + hint);
    }

    private String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 4 * MAX_ERROR_CHARS), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        if (!key.isEmpty()) {
            s = s.replace(key, "***");
        }
        if (s.length() > MAX_ERROR_CHARS) {
            s = s.substring(0, MAX_ERROR_CHARS) + "...";
        }
        return s.isEmpty() ? "" : ": " + s;
    }
}
