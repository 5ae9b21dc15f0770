package io.facecast.signaling;

import io.facecast.signaling.api.FacecastService;
import io.facecast.signaling.api.RegistryService;
import io.facecast.signaling.backend.GrpcRendererBackend;
import io.facecast.signaling.backend.RendererBackend;
import io.facecast.signaling.http.HttpApiServer;
import io.facecast.signaling.session.Reaper;
import io.facecast.signaling.session.StreamerLifecycle;
import io.facecast.security.FleetAuthorization;
import io.facecast.security.FleetRole;
import io.facecast.security.PeerIdentitySource;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling gRPC servers and the periodic reaper. Two planes: the public port carries the public API, health and
 * reflection; the internal port carries the streamers' registry behind mutual TLS and the streamer role
 * (docs/security.md).
 */
public final class SignalingServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);

    private final ServerBuilderFactory builders;
    private final FacecastService facecast;
    private final RegistryService registry;
    private final Reaper reaper;
    private final StreamerLifecycle streamers;
    private final RendererBackend renderer;
    private final ScheduledExecutorService scheduler;
    private final HttpApiServer http;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ServerBuilderFactory internalBuilders;
    private final PeerIdentitySource peers;
    private final HealthStatusManager internalHealth = new HealthStatusManager();
    private Server server;
    private Server internalServer;
    @com.google.inject.Inject(optional = true)
    private io.facecast.signaling.session.RendererWatch rendererWatch;
    @com.google.inject.Inject(optional = true)
    private io.facecast.signaling.session.SessionManager sessions;
    @com.google.inject.Inject(optional = true)
    private io.facecast.signaling.fleet.FleetState fleetState;
    @com.google.inject.Inject(optional = true)
    private io.facecast.signaling.fleet.RendererDirectory renderers;

    @Inject
    SignalingServer(
            ServerBuilderFactory builders,
            FacecastService facecast,
            RegistryService registry,
            Reaper reaper,
            StreamerLifecycle streamers,
            RendererBackend renderer,
            ScheduledExecutorService scheduler,
            HttpApiServer http,
            @Named("internal") ServerBuilderFactory internalBuilders,
            PeerIdentitySource peers) {
        this.internalBuilders = internalBuilders;
        this.peers = peers;
        this.builders = builders;
        this.facecast = facecast;
        this.registry = registry;
        this.reaper = reaper;
        this.streamers = streamers;
        this.renderer = renderer;
        this.scheduler = scheduler;
        this.http = http;
    }

    public synchronized SignalingServer start() {
        try {
            internalServer = internalBuilders.create()
                    .addService(FleetAuthorization.admit(registry, peers, FleetRole.STREAMER))
                    .addService(internalHealth.getHealthService())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("signaling could not listen on its internal port: " + e.getMessage(), e);
        }
        try {
            server = builders.create()
                    .addService(facecast.authenticated())
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .build()
                    .start();
        } catch (IOException e) {
            internalServer.shutdownNow();
            throw new UncheckedIOException("signaling could not listen: " + e.getMessage(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(facecast.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
        internalHealth.setStatus("", ServingStatus.SERVING);
        internalHealth.setStatus(registry.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
        reaper.start(scheduler);
        if (rendererWatch != null) {
            rendererWatch.start(scheduler);
        }
        http.start();
        return this;
    }

    /** The TCP port actually bound (useful with port 0), or -1 for an in-process server. */
    public synchronized int port() {
        return server.getPort();
    }

    /** The TCP port of the internal control plane (the Registry), or -1 for an in-process server. */
    public synchronized int internalPort() {
        return internalServer.getPort();
    }

    /** The browser-facing listener (WHEP, JSON API, demo page); {@code http().baseUrl()} is null when disabled. */
    public HttpApiServer http() {
        return http;
    }

    public void awaitTermination() throws InterruptedException {
        Server s;
        synchronized (this) {
            s = server;
        }
        s.awaitTermination();
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        health.enterTerminalState();
        internalHealth.enterTerminalState();
        if (sessions != null) {
            // Drain: every client event stream here is told to watch again through another replica.
            int drained = sessions.drainWatchers();
            log.info("signaling draining: {} sessions' event streams told to reconnect to another replica", drained);
        }
        if (rendererWatch != null) {
            rendererWatch.stop();
        }
        http.close();
        reaper.stop();
        internalServer.shutdown();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        internalServer.shutdownNow();
        streamers.shutdown();
        if (renderer instanceof GrpcRendererBackend grpcRenderer) {
            grpcRenderer.close();
        }
        scheduler.shutdownNow();
        if (renderers != null) {
            renderers.close();
        }
        if (fleetState != null) {
            fleetState.close();
        }
        log.info("signaling stopped");
    }
}
