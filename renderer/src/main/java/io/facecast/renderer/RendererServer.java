package io.facecast.renderer;

import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.ops.OpsServer;
import io.facecast.ops.lifecycle.ProcessLifecycle;
import io.facecast.ops.lifecycle.ProcessServer;
import io.facecast.renderer.control.RendererControlService;
import io.facecast.renderer.neural.LipSync;
import io.facecast.renderer.playback.PlaybackGates;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.security.FleetAuthorization;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.facecast.security.PeerIdentitySource;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The renderer process's start-up, drain and ordered shutdown (RendererMain only parses flags). Start: control server
 * (mutual TLS, signaling only, plus gRPC health), ops listener. Drain (SIGTERM or POST /drain): not ready, OpenSession
 * answers UNAVAILABLE, open sessions are served (Speak included) until signaling closed them all or the drain timeout
 * passed; a second request forces. Stop: stop taking calls, cancel sessions, let the render threads finish the frame
 * they are on, then close the queues and the lip-sync model.
 */
public final class RendererServer extends ProcessServer {
    private static final Logger log = LoggerFactory.getLogger(RendererServer.class);

    private final RendererConfig config;
    private final RendererControlService control;
    private final HealthStatusManager health;
    private final RenderSessions sessions;
    private final PlaybackGates gates;
    private final ExecutorService pool;
    private final BusAppenders buses;
    private final LipSync lipSync;
    private final MeterRegistry registry;
    private final ProcessLifecycle lifecycle;
    private Server server;

    @Inject
    RendererServer(RendererConfig config, RendererControlService control, HealthStatusManager health,
                   RenderSessions sessions, PlaybackGates gates, ExecutorService pool, BusAppenders buses,
                   LipSync lipSync, MeterRegistry registry, ProcessLifecycle lifecycle) {
        super("renderer", lifecycle, log, sessions::openSessions);
        this.config = config;
        this.control = control;
        this.health = health;
        this.sessions = sessions;
        this.gates = gates;
        this.pool = pool;
        this.buses = buses;
        this.lipSync = lipSync;
        this.registry = registry;
        this.lifecycle = lifecycle;
    }

    /** @param tls the renderer's identity on the internal plane */
    public synchronized RendererServer start(FleetTls tls) {
        // Only signaling drives the renderer: mutual TLS, and the signaling role (docs/security.md). Health answers
        // there too, to fleet members only; orchestrators probe the ops port's /healthz and /readyz.
        try {
            server = tls.serverBuilder(config.host(), config.port())
                    .addService(FleetAuthorization.admit(control, PeerIdentitySource.tls(), FleetRole.SIGNALING))
                    .addService(health.getHealthService())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("renderer could not listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(RendererControlGrpc.SERVICE_NAME, ServingStatus.SERVING);
        ops = OpsServer.start("renderer", config.host(), config.opsPort(), registry, lifecycle::ready,
                () -> drain("POST /drain"));
        lifecycle.serving();
        System.out.println("renderer listening on " + config.host() + ":" + server.getPort() + " (mutual TLS, as "
                + tls.self() + "; bus root " + config.busRoot() + "; " + config.renderThreads() + " render threads)");
        if (ops != null) {
            System.out.println("renderer ops on " + ops.baseUrl() + " (metrics, healthz, readyz, POST drain)");
        }
        System.out.flush();
        return this;
    }

    @Override
    protected void stopTakingSessions() {
        sessions.drain();
        health.setStatus("", ServingStatus.NOT_SERVING);
        health.setStatus(RendererControlGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
    }

    @Override
    protected String describeDrain(boolean forced) {
        return forced ? "drain forced: closing " + sessions.openSessions() + " open session(s)"
                : "draining: " + sessions.openSessions() + " open session(s) are served for at most "
                        + config.drainTimeout();
    }

    public synchronized int port() {
        return server.getPort();
    }

    /** Stop taking calls, cancel sessions, let workers finish the frame they are on, then close the queues. */
    @Override
    protected void shutDown() {
        log.info("renderer shutting down: {} open session(s) to close", sessions.openSessions());
        health.enterTerminalState();
        if (server != null) {
            server.shutdown();
        }
        sessions.close();
        gates.close();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
            if (server != null) {
                server.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (server != null) {
            server.shutdownNow();
        }
        buses.close();
        lipSync.close();
        if (ops != null) {
            ops.close();
        }
        log.info("renderer stopped");
    }
}
