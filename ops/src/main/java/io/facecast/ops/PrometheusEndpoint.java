package io.facecast.ops;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Answers a scrape with the registry in Prometheus text format 0.0.4 (what promtool and every Prometheus read). */
public final class PrometheusEndpoint {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusEndpoint() {}

    public static void serve(HttpExchange exchange, MeterRegistry registry) throws IOException {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            OpsServer.text(exchange, 404, "this process keeps its metrics in a registry that is not Prometheus\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            OpsServer.text(exchange, 405, "use GET\n");
            return;
        }
        try (exchange) {
            byte[] body = prometheus.scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
