package io.facecast.renderer.tts.http;

import io.facecast.renderer.RendererException;
import io.facecast.renderer.tts.Speech;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Against a real HTTP server on 127.0.0.1. */
class HttpSpeechSynthesizerTest {
    static final String KEY = "sk-test-4f9c2d7e1b";

    final LocalSpeechServer server;
    final HttpSpeechSynthesizer tts;

    HttpSpeechSynthesizerTest() throws Exception {
        server = new LocalSpeechServer();
        tts = new HttpSpeechSynthesizer(server.uri(), KEY, "tts-1-hd", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsTheOpenAiRequestAndDecodesTheStreamedWav() {
        Speech s = tts.synthesize("Say \"hi\"\nnow.", "alloy");
        assertEquals(1, server.requests.size());
        LocalSpeechServer.Request r = server.requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("Bearer " + KEY, r.authorization());
        assertEquals("application/json", r.contentType());
        assertEquals("{\"model\":\"tts-1-hd\",\"input\":\"Say \\\"hi\\\"\\nnow.\",\"voice\":\"alloy\",\"response_format\":\"wav\"}",
                r.body());
        assertEquals(LocalSpeechServer.RATE, s.sampleRate());
        assertArrayEquals(LocalSpeechServer.speech(700), s.pcm(), "all samples despite the 0x7FFFF000 placeholder size");
        assertFalse(s.timed(), "an endpoint gives no phonemes");
        assertTrue(s.phonemes().isEmpty());
    }

    @Test
    void noKeyMeansNoAuthorizationHeader() {
        new HttpSpeechSynthesizer(server.uri(), "", null, Duration.ofSeconds(10)).synthesize("Hi.", "nova");
        assertNull(server.requests.get(0).authorization());
        assertTrue(server.requests.get(0).body().startsWith("{\"model\":\"tts-1\","), "default model");
    }

    @Test
    void aRefusedKeyIsAFailedPreconditionAndTheKeyIsNeverInTheMessage() {
        server.status = 401;
        server.body = ("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}").getBytes(StandardCharsets.UTF_8);
        RendererException e = assertThrows(RendererException.class, () -> tts.synthesize("Hi.", "alloy"));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("answered HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("--tts-http-key"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(e.getMessage().contains("4f9c2d7e1b"), e.getMessage());
    }

    @Test
    void endpointErrorsMapToPreciseCodes() {
        server.status = 500;
        server.body = "{\"error\":\"model overloaded\"}".getBytes(StandardCharsets.UTF_8);
        RendererException e500 = assertThrows(RendererException.class, () -> tts.synthesize("Hi.", "alloy"));
        assertEquals(Status.Code.UNAVAILABLE, e500.code());
        assertTrue(e500.getMessage().contains("answered HTTP 500: {\"error\":\"model overloaded\"}"), e500.getMessage());

        server.status = 400;
        server.body = "{\"error\":\"voice 'bogus' does not exist\"}".getBytes(StandardCharsets.UTF_8);
        RendererException e400 = assertThrows(RendererException.class, () -> tts.synthesize("Hi.", "bogus"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e400.code());
        assertTrue(e400.getMessage().contains("HTTP 400: {\"error\":\"voice 'bogus' does not exist\"}"), e400.getMessage());

        server.status = 429;
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(RendererException.class, () -> tts.synthesize("Hi.", "alloy")).code());

        server.status = 200;
        server.body = "ID3\u0004 an mp3".getBytes(StandardCharsets.ISO_8859_1);
        RendererException mp3 = assertThrows(RendererException.class, () -> tts.synthesize("Hi.", "alloy"));
        assertEquals(Status.Code.UNAVAILABLE, mp3.code());
        assertTrue(mp3.getMessage().contains("not with usable audio"), mp3.getMessage());
    }

    @Test
    void anUnreachableEndpointIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        HttpSpeechSynthesizer down = new HttpSpeechSynthesizer(URI.create("http://127.0.0.1:" + port + "/v1/audio/speech"),
                KEY, null, Duration.ofSeconds(5));
        RendererException e = assertThrows(RendererException.class, () -> down.synthesize("Hi.", "alloy"));
        assertEquals(Status.Code.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("is unreachable"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }
}
