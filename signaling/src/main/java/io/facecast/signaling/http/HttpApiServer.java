package io.facecast.signaling.http;

import io.facecast.ops.PrometheusEndpoint;
import io.facecast.signaling.auth.Principal;
import io.facecast.signaling.auth.PublicAccess;
import io.facecast.signaling.session.SessionManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser-facing listener: WHEP under /whep, the JSON session API under /api, and the demo page at /.
 * Authentication (the same {@link PublicAccess} as gRPC), the Host check, CORS and Referrer-Policy are applied here,
 * once, for every route.
 *
 * <p>It runs on Jetty 12's core Handler API (no servlets) rather than the JDK's HttpServer because the JDK server
 * answers a request it cannot parse (an invalid %-escape in the path, a bad request line) with its own HTML page
 * before any handler runs; here {@link JsonErrorHandler} answers those too, with the JSON error body and a precise
 * status (400, 414, 431, 505). Jetty also gives per-connection idle timeouts that cover stalled writes and a fixed
 * send buffer ({@link HttpLimits}).
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
    private Server server;
    private ServerConnector connector;
    private RequestDeadline deadline;
    private Scheduler.Task sweep;
    private volatile int boundPort = -1;
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

    /** Starts listening unless the options disable HTTP. */
    public synchronized HttpApiServer start() {
        if (!options.enabled() || server != null) {
            return this;
        }
        Server jetty = new Server(HttpLimits.boundedPool());
        ServerConnector http = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(HttpLimits.configuration()));
        http.setHost(options.host());
        http.setPort(options.port());
        HttpLimits.apply(jetty, http);
        RequestDeadline heads = new RequestDeadline(HttpLimits.MAX_REQUEST_SECONDS, System::nanoTime);
        http.addEventListener(heads);
        jetty.addConnector(http);
        jetty.setHandler(new Routes(heads));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopTimeout(0);
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // nothing was serving
            }
            throw new UncheckedIOException("signaling could not listen for HTTP on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
        server = jetty;
        connector = http;
        deadline = heads;
        sweep = scheduleSweep(http.getScheduler(), heads);
        boundPort = http.getLocalPort();
        log.info("HTTP (WHEP, JSON API, demo page) on {}", baseUrl());
        return this;
    }

    private static Scheduler.Task scheduleSweep(Scheduler scheduler, RequestDeadline heads) {
        return scheduler.schedule(new Runnable() {
            @Override
            public void run() {
                try {
                    heads.sweep();
                } finally {
                    if (scheduler.isRunning()) {
                        scheduler.schedule(this, 1, TimeUnit.SECONDS);
                    }
                }
            }
        }, 1, TimeUnit.SECONDS);
    }

    /** Jetty's entry point: every request, once its line and headers have arrived and parsed. */
    private final class Routes extends Handler.Abstract {
        private final RequestDeadline heads;

        Routes(RequestDeadline heads) {
            this.heads = heads;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Callback done = heads.started(request.getConnectionMetaData().getConnection(), callback);
            Exchange exchange = new Exchange(request, response, done);
            MeterRegistry registry = metrics;
            if (registry != null && exchange.path().equals("/metrics")) {
                serveMetrics(exchange, registry);
            } else if (exchange.path().equals("/healthz")) {
                // For orchestrators (Kubernetes probes): no token, no Host check, nothing but the status.
                exchange.send(200, "text/plain; charset=utf-8", "ok\n");
            } else if (exchange.path().equals("/readyz")) {
                boolean ready = readiness.getAsBoolean();
                exchange.send(ready ? 200 : 503, "text/plain; charset=utf-8", ready ? "ready\n" : "not ready\n");
            } else {
                dispatch(exchange);
            }
            return true;
        }
    }

    /** Prometheus text, no token and no Host check (a scraper names the host it scrapes): keep the port private. */
    private static void serveMetrics(Exchange exchange, MeterRegistry registry) {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            exchange.send(404, "text/plain; charset=utf-8", "this process keeps its metrics in a registry that is not Prometheus\n");
        } else if (!exchange.method().equals("GET")) {
            exchange.send(405, "text/plain; charset=utf-8", "use GET\n");
        } else {
            exchange.send(200, PrometheusEndpoint.CONTENT_TYPE, prometheus.scrape(PrometheusEndpoint.CONTENT_TYPE));
        }
    }

    public boolean enabled() {
        return options.enabled();
    }

    /** The bound port (useful with port 0); -1 when HTTP is disabled. */
    public synchronized int port() {
        return server == null ? -1 : connector.getLocalPort();
    }

    /** The page's address, e.g. http://127.0.0.1:8080/ ; null when HTTP is disabled. */
    public synchronized String baseUrl() {
        return server == null ? null : "http://" + options.host() + ":" + port() + "/";
    }

    private void dispatch(Exchange exchange) {
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
            answerError(exchange, e);
        }
    }

    private void answerError(Exchange exchange, Exception e) {
        RuntimeException failure = e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
        HttpStatuses.Answer answer = HttpStatuses.of(exchange.method() + " " + exchange.path(), failure);
        if (exchange.ended() || exchange.committed()) {
            // The answer was already started (an event stream) or sent: nothing more can be said.
            exchange.fail(failure);
            return;
        }
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
        } catch (RuntimeException ignored) {
            // The client left: nothing more can be said.
            exchange.fail(failure);
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
            sweep.cancel();
            try {
                server.stop();
            } catch (Exception e) {
                log.debug("stopping the HTTP listener: {}", e.toString());
            }
            server = null;
        }
    }
}
