package io.facecast.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facecast.signaling.support.SignalingHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /healthz and /readyz on signaling's HTTP port, for orchestrators' probes: no credential needed. */
class HttpProbesTest {
    private SignalingHarness harness;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        harness = new SignalingHarness(true, null); // auth on: the probes must still answer without a token
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(harness.httpBase() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessAnswerWithoutACredentialAndReadinessFollowsItsSource() throws Exception {
        assertEquals(200, get("healthz").statusCode());
        assertEquals("ok\n", get("healthz").body());
        assertEquals(200, get("readyz").statusCode());
        AtomicBoolean ready = new AtomicBoolean(false);
        harness.http().withReadiness(ready::get);
        HttpResponse<String> notReady = get("readyz");
        assertEquals(503, notReady.statusCode());
        assertEquals("not ready\n", notReady.body());
        assertEquals(200, get("healthz").statusCode(), "alive while not ready");
        ready.set(true);
        assertEquals(200, get("readyz").statusCode());
        assertEquals(401, get("api/sessions").statusCode(), "everything else still wants a token");
    }
}
