package io.facecast.signaling.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facecast.signaling.session.SessionManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser-facing listener (the JDK's own HTTP server: no extra dependency): WHEP under /whep, the JSON session
 * API under /api, and the demo page at /. Authentication and CORS are applied here, once, for every route.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

    private final HttpOptions options;
    private final BearerToken token;
    private final Cors cors;
    private final WhepHandler whep;
    private final SessionApiHandler api;
    private final PageHandler page;
    private final CatalogHandler catalog;
    private HttpServer server;
    private ExecutorService pool;

    public HttpApiServer(HttpOptions options, SessionManager sessions, ScheduledExecutorService scheduler) {
        this.options = options;
        this.token = new BearerToken(options.token());
        this.cors = new Cors(options.corsOrigin());
        this.whep = new WhepHandler(sessions);
        this.api = new SessionApiHandler(sessions, whep, scheduler);
        this.page = new PageHandler();
        this.catalog = new CatalogHandler(sessions);
    }

    /** Starts listening unless the options disable HTTP. */
    public synchronized HttpApiServer start() {
        if (!options.enabled() || server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("signaling could not listen for HTTP on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
        AtomicInteger count = new AtomicInteger();
        // Event streams hold their thread only while a write is in progress, so a modest pool serves many browsers.
        pool = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "signaling-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(pool);
        server.createContext("/", this::dispatch);
        server.start();
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
            cors.apply(exchange);
            if (exchange.method().equals("OPTIONS")) {
                if (path.startsWith(WhepHandler.ENDPOINT)) {
                    exchange.setHeader("Accept-Post", WhepHandler.SDP);
                }
                cors.preflight(exchange, "GET, POST, PATCH, DELETE, OPTIONS");
                return;
            }
            if (path.equals(WhepHandler.ENDPOINT) || path.startsWith(WhepHandler.ENDPOINT + "/")) {
                token.check(exchange.header("Authorization"), null);
                whep.handle(exchange);
            } else if (path.startsWith(CatalogHandler.PREFIX)) {
                token.check(exchange.header("Authorization"), exchange.query("access_token"));
                catalog.handle(exchange);
            } else if (apiRoute) {
                token.check(exchange.header("Authorization"), exchange.query("access_token"));
                api.handle(exchange);
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
                exchange.setHeader("WWW-Authenticate", token.required() && exchange.header("Authorization") != null
                        ? "Bearer realm=\"facecast\", error=\"invalid_token\"" : "Bearer realm=\"facecast\"");
            }
            if (answer.status() == 503) {
                exchange.setHeader("Retry-After", "2");
            }
            if (json) {
                exchange.send(answer.status(), "application/json", ProtoJson.error(answer.code(), answer.message()));
            } else {
                exchange.send(answer.status(), "text/plain; charset=utf-8", answer.message() + "\n");
            }
        } catch (IOException | RuntimeException ignored) {
            // The response was already started (or the client left): nothing more can be said.
            exchange.http.close();
        }
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
