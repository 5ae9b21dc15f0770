package io.facecast.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.signaling.support.SignalingHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/sessions/{id}/audio refuses what it cannot stream to the renderer, with a message to act on. */
class AudioUploadHttpTest {
    private SignalingHarness harness;
    private String base;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        harness = new SignalingHarness(true, null); // signaling's own HTTP listener, auth on with the harness's key
        base = harness.httpBase();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .header("Authorization", "Bearer " + harness.apiKey.value()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) b.header("Content-Type", type);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void wrongTypesAndMissingRatesAreRefusedBeforeAnythingIsSent() throws Exception {
        HttpResponse<String> mp3 = post("/api/sessions/x/audio", "audio/mpeg", new byte[10]);
        assertEquals(415, mp3.statusCode(), mp3.body());
        assertTrue(mp3.body().contains("audio/wav or audio/pcm;rate=R;channels=C"), mp3.body());
        HttpResponse<String> noRate = post("/api/sessions/x/audio", "audio/pcm;channels=1", new byte[10]);
        assertEquals(400, noRate.statusCode(), noRate.body());
        assertTrue(noRate.body().contains("audio/pcm;rate=16000;channels=1"), noRate.body());
        HttpResponse<String> unknown = post("/api/sessions/nope/audio", "audio/wav", new byte[10]);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(harness.log.matching("SpeakAudio").isEmpty(), "nothing reached the renderer");
    }
}
