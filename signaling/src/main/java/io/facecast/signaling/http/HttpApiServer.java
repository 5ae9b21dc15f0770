package io.facecast.signaling.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facecast.ops.PrometheusEndpoint;
import io.facecast.signaling.auth.Principal;
import io.facecast.signaling.auth.PublicAccess;
import io.facecast.signaling.session.SessionManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser-facing listener (the JDK's own HTTP server: no extra dependency): WHEP under /whep, the JSON session
 * API under /api, and the demo page at /. Authentication (the same {@link PublicAccess} as gRPC), the Host check,
 * CORS and Referrer-Policy are applied here, once, for every route.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

    private final HttpOptions options;
    private final PublicAccess access;
    private final HostCheck hosts;
    private final Cors cors;
    private final WhepHandler whep;
    private final SessionApiHandler api;
    private final PageHandler page;
    private MeterRegistry metrics;
    private final CatalogHandler catalog;
    private HttpServer server;
    private volatile int boundPort = -1;
    private ExecutorService pool;
    private volatile java.util.function.BooleanSupplier readiness = () -> true;

    /** @param eventQueueCapacity events an SSE watcher may have unwritten before it is cut (SignalingConfig) */
    public HttpApiServer(HttpOptions options, SessionManager sessions, ScheduledExecutorService scheduler,
            PublicAccess access, int eventQueueCapacity) {
        this.options = options;
        this.access = access;
        this.hosts = new HostCheck(options.host());
        this.cors = new Cors(options.corsOrigin());
        this.whep = new WhepHandler(sessions, access);
        this.api = new SessionApiHandler(sessions, whep, scheduler, access, eventQueueCapacity);
        this.page = new PageHandler();
        this.catalog = new CatalogHandler(sessions);
    }

    /** Serves this registry at /metrics (Prometheus text format, no token: keep the port private or behind a proxy). */
    public synchronized HttpApiServer withMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
        return this;
    }

    /** What /readyz answers (200 while true, else 503); until set, ready while listening. */
    public synchronized HttpApiServer withReadiness(java.util.function.BooleanSupplier readiness) {
        this.readiness = readiness;
        return this;
    }

    private static void probe(HttpExchange exchange, boolean ok, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(ok ? 200 : 503, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Starts listening unless the options disable HTTP. */
    public synchronized HttpApiServer start() {
        if (!options.enabled() || server != null) {
            return this;
        }
        HttpLimits.applyServerTimeouts();
        try {
            server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("signaling could not listen for HTTP on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
        pool = HttpLimits.boundedPool();
        server.setExecutor(pool);
        server.createContext("/", this::dispatch);
        if (metrics != null) {
            MeterRegistry registry = metrics;
            server.createContext("/metrics", exchange -> PrometheusEndpoint.serve(exchange, registry));
        }
        // For orchestrators (Kubernetes probes): no token, no Host check, nothing but the status.
        server.createContext("/healthz", exchange -> probe(exchange, true, "ok\n"));
        server.createContext("/readyz", exchange -> {
            boolean r = readiness.getAsBoolean();
            probe(exchange, r, r ? "ready\n" : "not ready\n");
        });
        server.start();
        boundPort = server.getAddress().getPort();
        log.info("HTTP (WHEP, JSON API, demo page) on {}", baseUrl());
        return this;
    }

    public boolean enabled() {
        return options.enabled();
    }

    /** The bound port (useful with port 0); -1 when HTTP is disabled. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** The page's address, e.g. http://127.0.0.1:8080/ ; null when HTTP is disabled. */
    public synchronized String baseUrl() {
        return server == null ? null : "http://" + options.host() + ":" + port() + "/";
    }

    private void dispatch(HttpExchange http) {
        Exchange exchange = new Exchange(http);
        String path = exchange.path();
        boolean apiRoute = path.startsWith("/api/") || path.startsWith(CatalogHandler.PREFIX);
        try {
            // No page, API answer or redirect ever tells another site where the browser came from.
            exchange.setHeader("Referrer-Policy", "no-referrer");
            exchange.setHeader("X-Content-Type-Options", "nosniff");
            hosts.check(exchange.header("Host"), boundPort);
            cors.apply(exchange);
            if (exchange.method().equals("OPTIONS")) {
                if (path.startsWith(WhepHandler.ENDPOINT)) {
                    exchange.setHeader("Accept-Post", WhepHandler.SDP);
                }
                cors.preflight(exchange, "GET, POST, PATCH, DELETE, OPTIONS");
                return;
            }
            if (path.equals(WhepHandler.ENDPOINT) || path.startsWith(WhepHandler.ENDPOINT + "/")) {
                whep.handle(exchange, access.authenticate(exchange.header("Authorization")));
            } else if (path.startsWith(CatalogHandler.PREFIX)) {
                access.authenticate(exchange.header("Authorization"));
                catalog.handle(exchange);
            } else if (apiRoute) {
                api.handle(exchange, caller(exchange));
            } else {
                page.handle(exchange);
            }
        } catch (RuntimeException | IOException e) {
            answerError(exchange, apiRoute, e);
        }
    }

    private void answerError(Exchange exchange, boolean json, Exception e) {
        RuntimeException failure = e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
        HttpStatuses.Answer answer = HttpStatuses.of(exchange.method() + " " + exchange.path(), failure);
        try {
            if (answer.status() == 401) {
                exchange.setHeader("WWW-Authenticate", exchange.header("Authorization") != null
                        ? "Bearer realm=\"facecast\", error=\"invalid_token\"" : "Bearer realm=\"facecast\"");
            }
            if (answer.status() == 403) {
                exchange.setHeader("WWW-Authenticate", "Bearer realm=\"facecast\", error=\"insufficient_scope\"");
            }
            if (answer.retryAfter() != null) {
                exchange.setHeader("Retry-After", answer.retryAfter());
            } else if (answer.status() == 503) {
                exchange.setHeader("Retry-After", "2");
            }
            // One error body on every route (WHEP and the page included): {"code", "message"}.
            exchange.send(answer.status(), "application/json", ProtoJson.error(answer.code(), answer.message()));
        } catch (IOException | RuntimeException ignored) {
            // The response was already started (or the client left): nothing more can be said.
            exchange.http.close();
        }
    }

    /**
     * The caller of an API request: its bearer credential, or for a session's event stream (EventSource sends no
     * headers) a one-use ticket, which stands for that session only.
     */
    private Principal caller(Exchange exchange) {
        String ticket = exchange.query("ticket");
        if (ticket != null && exchange.header("Authorization") == null) {
            String path = exchange.path();
            String prefix = SessionApiHandler.PREFIX + "/";
            String suffix = "/" + SessionApiHandler.EVENTS;
            if (!exchange.method().equals("GET") || !path.startsWith(prefix) || !path.endsWith(suffix)) {
                throw io.facecast.signaling.auth.AccessErrors.unauthenticated(
                        "a ticket authenticates GET " + prefix + "{id}/events only; send 'Authorization: Bearer <token>'");
            }
            String id = path.substring(prefix.length(), path.length() - suffix.length());
            access.redeemEventTicket(ticket, id);
            return null; // the ticket was for exactly this session: nothing else to check
        }
        return access.authenticate(exchange.header("Authorization"));
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            pool.shutdownNow();
            server = null;
        }
    }
}
