package io.facecast.signaling.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.ListAvatarsRequest;
import io.facecast.api.v1.ListAvatarsResponse;
import io.facecast.api.v1.ListVoicesRequest;
import io.facecast.api.v1.ListVoicesResponse;
import io.facecast.signaling.support.FakeRendererServer;
import io.facecast.signaling.support.SignalingHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ListAvatars / ListVoices over gRPC and HTTP, from the renderer's catalog, with previews and their addresses. */
class CatalogHttpTest {
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

    private HttpResponse<byte[]> get(String path, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)));
        if (auth) b.header("Authorization", "Bearer " + harness.apiKey.value());
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void grpcListsTheRenderersAvatarsWithPreviewsAndItsVoices() {
        ListAvatarsResponse avatars = harness.facecast().listAvatars(ListAvatarsRequest.getDefaultInstance());
        assertEquals(2, avatars.getAvatarsCount());
        assertEquals("default", avatars.getAvatars(0).getName());
        assertEquals("/v1/avatars/default/preview.png", avatars.getAvatars(0).getPreviewUrl());
        assertEquals(FakeRendererServer.CATALOG.getAvatars(0).getPreviewPng(), avatars.getAvatars(0).getPreviewPng());
        ListVoicesResponse voices = harness.facecast().listVoices(ListVoicesRequest.getDefaultInstance());
        assertEquals(FakeRendererServer.CATALOG.getVoicesList(), voices.getVoicesList());
    }

    @Test
    void httpListsLinkPreviewsAndServeThemAsPng() throws Exception {
        HttpResponse<byte[]> avatars = get("/v1/avatars", true);
        assertEquals(200, avatars.statusCode());
        String body = new String(avatars.body());
        assertTrue(body.contains("\"name\":\"ada\"") && body.contains("\"previewUrl\":\"/v1/avatars/default/preview.png\""), body);
        assertTrue(!body.contains("previewPng"), "previews are linked, not inlined: " + body);
        String voices = new String(get("/v1/voices", true).body());
        assertTrue(voices.contains("\"name\":\"espeak:de\"") && voices.contains("\"backend\":\"espeak\""), voices);

        HttpResponse<byte[]> png = get("/v1/avatars/default/preview.png", true);
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(FakeRendererServer.CATALOG.getAvatars(0).getPreviewPng().toByteArray(), png.body());
    }

    @Test
    void unknownAvatarIsNotFoundNamingTheKnownOnesAndTheTokenIsRequired() throws Exception {
        HttpResponse<byte[]> missing = get("/v1/avatars/bob/preview.png", true);
        assertEquals(404, missing.statusCode());
        assertTrue(new String(missing.body()).contains("known avatars: [default, ada]"), new String(missing.body()));
        assertEquals(401, get("/v1/avatars", false).statusCode());
    }
}
