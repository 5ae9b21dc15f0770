package io.facecast.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(OpsServer ops, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ops.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsHealthAndReadiness() throws Exception {
        PrometheusMeterRegistry registry = Metrics.prometheus("test");
        Timer latency = Metrics.latency(registry, "facecast.test.latency", "a test latency", "stage", "one");
        latency.record(150, TimeUnit.MILLISECONDS);
        Counter.builder("facecast.test.events").description("test events").register(registry).increment(3);
        AtomicBoolean ready = new AtomicBoolean(false);
        try (OpsServer ops = OpsServer.start("test", "127.0.0.1", 0, registry, ready::get)) {
            HttpResponse<String> metrics = get(ops, "metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String body = metrics.body();
            assertTrue(body.contains("facecast_test_latency_seconds_bucket{process=\"test\",stage=\"one\",le=\"0.2\"} 1"), body);
            assertTrue(body.contains("facecast_test_latency_seconds_bucket{process=\"test\",stage=\"one\",le=\"0.1\"} 0"), body);
            assertTrue(body.contains("facecast_test_events_total{process=\"test\"} 3"), body);
            for (String jvm : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_memory_allocated_bytes_total",
                    "process_cpu_usage", "process_resident_memory_bytes"}) {
                assertTrue(body.contains(jvm), jvm + " missing:\n" + body);
            }
            assertEquals(200, get(ops, "healthz").statusCode());
            assertEquals(503, get(ops, "readyz").statusCode());
            ready.set(true);
            assertEquals(200, get(ops, "readyz").statusCode());
            Path promtool = Promtool.find();
            if (promtool != null) {
                Promtool.checkMetrics(promtool, body);
            } else {
                Assumptions.assumeTrue(System.getenv("FACECAST_REQUIRE_BROWSER") == null,
                        "promtool (Debian package prometheus) is required in CI");
            }
        }
    }

    @Test
    void drainIsAPostFromLoopback() throws Exception {
        java.util.concurrent.atomic.AtomicInteger drains = new java.util.concurrent.atomic.AtomicInteger();
        try (OpsServer ops = OpsServer.start("test", "127.0.0.1", 0, Metrics.prometheus("test"), () -> true,
                () -> "drain " + drains.incrementAndGet())) {
            HttpResponse<String> get = get(ops, "drain");
            assertEquals(405, get.statusCode());
            assertEquals(0, drains.get(), "a GET drains nothing");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(ops.baseUrl() + "drain"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, post.statusCode());
            assertEquals("drain 1\n", post.body());
        }
        try (OpsServer ops = OpsServer.start("test", "127.0.0.1", 0, Metrics.prometheus("test"), () -> true)) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(ops.baseUrl() + "drain"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, post.statusCode(), "no drain action, no /drain");
        }
    }

    @Test
    void portMinusOneIsOff() {
        assertNull(OpsServer.start("test", "127.0.0.1", OpsServer.OFF, Metrics.prometheus("test"), () -> true));
    }
}
