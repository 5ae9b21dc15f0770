package io.facecast.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preStop hook against a real HTTP listener that plays a draining streamer; time is a fake clock. */
class PreStopDrainTest {
    private HttpServer server;
    private final List<String> calls = new ArrayList<>();
    private final Deque<Integer> sessions = new ArrayDeque<>();
    private final AtomicLong now = new AtomicLong();

    private int start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/drain", e -> {
            calls.add(e.getRequestMethod() + " /drain from " + e.getRemoteAddress().getAddress().getHostAddress());
            answer(e, 202, "draining\n");
        });
        server.createContext("/metrics", e -> {
            int n = sessions.size() > 1 ? sessions.poll() : sessions.peek();
            calls.add("GET /metrics -> " + n);
            answer(e, 200, "# TYPE facecast_streamer_sessions gauge\nfacecast_streamer_sessions " + n + ".0\n"
                    + "facecast_streamer_peers 3.0\n");
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange e, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    private PreStopDrain hook(int port, long timeoutSeconds) {
        return new PreStopDrain("127.0.0.1", port, port, timeoutSeconds, 2000, now::get,
                millis -> now.addAndGet(millis * 1_000_000));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void postsDrainFromLoopbackThenWaitsUntilNoSessionIsLeft() throws Exception {
        int port = start();
        sessions.addAll(List.of(3, 2, 2, 0));
        PreStopDrain hook = hook(port, 3600);
        assertEquals(0, hook.run(), hook.output());
        assertEquals("POST /drain from 127.0.0.1", calls.get(0));
        assertEquals(List.of("GET /metrics -> 3", "GET /metrics -> 2", "GET /metrics -> 2", "GET /metrics -> 0"),
                calls.subList(1, calls.size()));
        assertEquals(6_000_000_000L, now.get(), "three polls 2 s apart");
    }

    @Test
    void givesUpAtTheTimeoutWithSessionsLeft() throws Exception {
        int port = start();
        sessions.add(1);
        PreStopDrain hook = hook(port, 10);
        assertEquals(1, hook.run());
        assertTrue(hook.output().contains("drain timeout: 1 session(s) still live"), hook.output());
        assertEquals(10_000_000_000L, now.get());
    }

    @Test
    void nothingListeningIsNothingToDrain() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PreStopDrain hook = hook(port, 60);
        assertEquals(0, hook.run());
        assertTrue(hook.output().contains("nothing to drain"), hook.output());
    }

    @Test
    void readsTheSessionsGaugeWithOrWithoutLabels() {
        assertEquals(-1, PreStopDrain.sessions("facecast_renderer_sessions 4.0\n"));
        assertEquals(0, PreStopDrain.sessions("facecast_streamer_sessions 0.0\n"));
        assertEquals(5, PreStopDrain.sessions("facecast_streamer_sessions{a=\"x\"} 2.0\nfacecast_streamer_sessions{a=\"y\"} 3.0\n"));
        assertEquals(-1, PreStopDrain.sessions("facecast_streamer_sessions_total 9\n"));
    }
}
