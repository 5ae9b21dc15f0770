package io.facecast.renderer.tts.http;

import com.sun.net.httpserver.HttpServer;
import io.facecast.renderer.audio.TestAudio;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for an OpenAI-compatible speech endpoint on 127.0.0.1: answers POST /v1/audio/speech with
 * {@link #status} and {@link #body} (by default a 24 kHz WAV of voiced bursts with streaming-placeholder sizes, as
 * such servers stream it) and records every request.
 */
public final class LocalSpeechServer implements AutoCloseable {
    public static final int RATE = 24000;

    public record Request(String method, String path, String authorization, String contentType, String body) {}

    private final HttpServer server;
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public volatile int status = 200;
    public volatile byte[] body = speechWav(700);
    /** Requests from this index on (0-based, counted over the server's life) are answered 500. */
    public volatile int failFrom = Integer.MAX_VALUE;

    public LocalSpeechServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/audio/speech", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"),
                    new String(in, StandardCharsets.UTF_8)));
            boolean fail = requests.size() > failFrom;
            byte[] out = fail ? "{\"error\":\"injected\"}".getBytes(StandardCharsets.UTF_8) : body;
            int code = fail ? 500 : status;
            ex.getResponseHeaders().set("Content-Type", code == 200 ? "audio/wav" : "application/json");
            ex.sendResponseHeaders(code, out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/audio/speech");
    }

    /** Voiced bursts (200 ms on, 150 ms off) of {@code ms} at 24 kHz, data size 0x7FFFF000 as streamed WAVs have. */
    public static byte[] speechWav(int ms) {
        short[] pcm = speech(ms);
        return TestAudio.wav(1, 1, RATE, 16, TestAudio.s16le(pcm), 0x7FFFF000L);
    }

    public static short[] speech(int ms) {
        int n = RATE * ms / 1000;
        short[] pcm = new short[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / RATE;
            boolean on = (i * 1000L / RATE) % 350 < 200;
            pcm[i] = on ? (short) (7000 * Math.sin(2 * Math.PI * 140 * t) + 5000 * Math.sin(2 * Math.PI * 650 * t)) : 0;
        }
        return pcm;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
