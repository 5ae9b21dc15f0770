package io.facecast.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The small operations listener of a process without its own HTTP server (renderer, streamer): {@code /metrics}
 * (Prometheus text format), {@code /healthz} (200 while the process runs) and {@code /readyz} (200 once it can take
 * work, 503 before and while shutting down). JDK HTTP server on one daemon thread: scrapes are rare and cheap.
 *
 * <p>With a drain action (renderer, streamer) it also takes {@code POST /drain}: the same as a SIGTERM (the first
 * starts the drain, a second forces it), accepted only from a loopback peer (a Kubernetes {@code preStop} hook runs
 * in the pod's network namespace), 403 from anywhere else. 202 with what happened.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    /** Port value that turns the listener off. */
    public static final int OFF = -1;

    private final HttpServer server;
    private final String host;

    private OpsServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Starts listening, or returns null when {@code port} is {@link #OFF}.
     *
     * @param ready whether the process can take work now (answers /readyz)
     * @throws UncheckedIOException when the port cannot be bound (the message says which)
     */
    public static OpsServer start(String process, String host, int port, MeterRegistry registry, BooleanSupplier ready) {
        return start(process, host, port, registry, ready, null);
    }

    /** As above, with {@code POST /drain} running {@code drain} (its answer is the response body); null: no /drain. */
    public static OpsServer start(String process, String host, int port, MeterRegistry registry, BooleanSupplier ready,
                                  Supplier<String> drain) {
        if (port == OFF) {
            return null;
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(process + " could not listen for ops HTTP (--ops-port) on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, process + "-ops-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", exchange -> PrometheusEndpoint.serve(exchange, registry));
        server.createContext("/healthz", exchange -> text(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            boolean r = ready.getAsBoolean();
            text(exchange, r ? 200 : 503, r ? "ready\n" : "not ready\n");
        });
        if (drain != null) {
            server.createContext("/drain", exchange -> drain(exchange, process, drain));
        }
        server.start();
        OpsServer ops = new OpsServer(server, host);
        log.info("ops HTTP (/metrics, /healthz, /readyz) on {}", ops.baseUrl());
        return ops;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** e.g. http://127.0.0.1:9461/ */
    public String baseUrl() {
        return "http://" + host + ":" + port() + "/";
    }

    private static void drain(HttpExchange exchange, String process, Supplier<String> drain) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            InetAddress peer = exchange.getRemoteAddress().getAddress();
            int status;
            String body;
            if (!method.equals("POST")) {
                status = 405;
                body = "use POST\n";
                exchange.getResponseHeaders().set("Allow", "POST");
            } else if (peer == null || !peer.isLoopbackAddress()) {
                log.warn("refused POST /drain from {}: only a loopback peer may drain {}", peer, process);
                status = 403;
                body = "only a loopback peer may drain this " + process + "\n";
            } else {
                status = 202;
                body = drain.get() + "\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static void text(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                status = 405;
                body = "use GET\n";
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
