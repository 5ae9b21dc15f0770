package io.facecast.streamer;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.ops.OpsServer;
import io.facecast.ops.lifecycle.ProcessLifecycle;
import io.facecast.ops.lifecycle.ProcessServer;
import io.facecast.rtc.EncoderThreadPriority;
import io.facecast.rtc.PeerFactories;
import io.facecast.security.FleetAuthorization;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.facecast.security.PeerIdentitySource;
import io.facecast.streamer.control.StreamerControlService;
import io.facecast.streamer.events.StreamerEvents;
import io.facecast.streamer.ingest.BusIngest;
import io.facecast.streamer.metrics.StreamerMetrics;
import io.facecast.streamer.registration.LoadMeter;
import io.facecast.streamer.registration.SignalingRegistration;
import io.facecast.streamer.schedule.StreamerScheduler;
import io.facecast.streamer.session.StreamerSessions;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The streamer process's start-up and ordered shutdown, and its drain (the one class that owns them; StreamerMain
 * only parses flags). Start: scheduler, bus reader, control server (mutual TLS, signaling only, plus gRPC health),
 * stats, ops listener, registration. Drain (SIGTERM or POST /drain): not ready, heartbeats say DRAINING, OpenSession
 * answers UNAVAILABLE, live sessions play on until they close or the drain timeout passes; a second request forces.
 * Stop: registration, stats, sessions, event streams, control server, scheduler, bus reader, peer factory.
 */
public final class StreamerServer extends ProcessServer {
    private static final Logger log = LoggerFactory.getLogger(StreamerServer.class);

    private final StreamerConfig config;
    private final StreamerScheduler scheduler;
    private final BusIngest ingest;
    private final StreamerSessions sessions;
    private final StreamerEvents events;
    private final StreamerMetrics metrics;
    private final MeterRegistry registry;
    private final PeerConnectionFactory peerFactory;
    private final StreamerControlService control;
    private final ProcessLifecycle lifecycle;
    private final LoadMeter load;
    private final HealthStatusManager health = new HealthStatusManager();
    private ScheduledExecutorService stats;
    private Server server;
    private SignalingRegistration registration;

    @Inject
    StreamerServer(StreamerConfig config, StreamerScheduler scheduler, BusIngest ingest, StreamerSessions sessions,
                   StreamerEvents events, StreamerMetrics metrics, MeterRegistry registry,
                   PeerConnectionFactory peerFactory, StreamerControlService control, ProcessLifecycle lifecycle,
                   LoadMeter load) {
        super("streamer " + config.id(), lifecycle, log, sessions::size);
        this.config = config;
        this.scheduler = scheduler;
        this.ingest = ingest;
        this.sessions = sessions;
        this.events = events;
        this.metrics = metrics;
        this.registry = registry;
        this.peerFactory = peerFactory;
        this.control = control;
        this.lifecycle = lifecycle;
        this.load = load;
    }

    /** Starts everything and registers with signaling; {@code tls} is this streamer's identity on the internal plane. */
    public synchronized StreamerServer start(FleetTls tls) {
        try {
            Files.createDirectories(config.busPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bus queue directory " + config.busPath() + ": " + e, e);
        }
        scheduler.start();
        ingest.start();
        // Only signaling controls the streamer and watches its events (every session's captions): mutual TLS, and
        // the signaling role. The server certificate names this streamer, so signaling knows it dialled the right one.
        // Health answers there too, to fleet members only (an orchestrator's probe has no client certificate: it
        // uses the ops port's /healthz and /readyz).
        try {
            server = tls.serverBuilder(config.host(), config.port())
                    .addService(FleetAuthorization.admit(control, PeerIdentitySource.tls(), FleetRole.SIGNALING))
                    .addService(health.getHealthService())
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("streamer could not listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        stats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stats");
            t.setDaemon(true);
            return t;
        });
        stats.scheduleAtFixedRate(sessions::publishStats, 2, 2, TimeUnit.SECONDS);
        stats.scheduleAtFixedRate(() -> metrics.sample(sessions.samples()), 1, 2, TimeUnit.SECONDS);
        stats.scheduleAtFixedRate(load::sample, 0, 1, TimeUnit.SECONDS);
        // libwebrtc makes a video encoder thread per session as it negotiates: lower each soon after it appears
        EncoderThreadPriority encoders = new EncoderThreadPriority(config.sender().videoEncoderNice());
        stats.scheduleWithFixedDelay(encoders::apply, 1, 1, TimeUnit.SECONDS);
        ops = OpsServer.start("streamer", config.host(), config.opsPort(), registry, lifecycle::ready,
                () -> drain("POST /drain"));
        registration = new SignalingRegistration(config.signalingAddresses(),
                address -> tls.channel(address, FleetRole.SIGNALING),
                RegisterStreamerRequest.newBuilder()
                        .setStreamerId(config.id()).setControlAddress(config.advertisedAddress(server.getPort()))
                        .setBusPath(config.busPath().toString()).setMaxSessions(config.maxSessions())
                        .setNodeId(config.nodeId()).setRendererAddress(config.rendererAddress()).build(),
                new SignalingRegistration.Status() {
                    @Override
                    public List<String> liveSessions() {
                        return sessions.ids();
                    }

                    @Override
                    public boolean draining() {
                        return !lifecycle.accepting();
                    }

                    @Override
                    public float load() {
                        return load.load();
                    }
                });
        lifecycle.readyWhen(registration::registered);
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(StreamerControlGrpc.SERVICE_NAME, ServingStatus.SERVING);
        lifecycle.serving();
        System.out.println("streamer " + config.id() + " listening on " + config.host() + ":" + server.getPort()
                + " (mutual TLS, as " + tls.self() + "; bus " + config.busPath() + "; node " + config.nodeId() + ")");
        if (ops != null) {
            System.out.println("streamer ops on " + ops.baseUrl() + " (metrics, healthz, readyz, POST drain)");
        }
        System.out.flush();
        registration.start();
        return this;
    }

    @Override
    protected void stopTakingSessions() {
        sessions.drain();
        health.setStatus("", ServingStatus.NOT_SERVING);
        health.setStatus(StreamerControlGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        SignalingRegistration reg;
        synchronized (this) {
            reg = registration;
        }
        if (reg != null) {
            reg.heartbeatNow(); // signaling stops placing here now, not at the next heartbeat
        }
    }

    @Override
    protected String describeDrain(boolean forced) {
        return forced ? "drain forced: closing " + sessions.size() + " live session(s)"
                : "draining: " + sessions.size() + " live session(s) play on for at most " + config.drainTimeout();
    }

    /** The control port actually bound. */
    public synchronized int port() {
        return server.getPort();
    }

    /** Ordered shutdown, at once (sessions still live are closed); {@link #close} runs it once. */
    @Override
    protected void shutDown() {
        log.info("streamer {} shutting down: {} session(s) to close", config.id(), sessions.size());
        health.enterTerminalState();
        if (registration != null) {
            registration.close();
        }
        if (stats != null) {
            stats.shutdownNow();
        }
        sessions.close();
        events.completeAll();
        if (server != null) {
            server.shutdown();
        }
        scheduler.close();
        try {
            ingest.close();
            if (server != null && !server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ops != null) {
            ops.close();
        }
        PeerFactories.dispose(peerFactory);
        log.info("streamer {} stopped", config.id());
    }
}
