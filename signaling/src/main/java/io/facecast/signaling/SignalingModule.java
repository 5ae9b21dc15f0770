package io.facecast.signaling;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.auth.PublicAccess;
import io.facecast.signaling.backend.ChannelFactory;
import io.facecast.signaling.backend.GrpcRendererBackend;
import io.facecast.signaling.backend.GrpcStreamerBackendFactory;
import io.facecast.signaling.backend.TlsChannelFactory;
import io.facecast.signaling.backend.RendererBackend;
import io.facecast.signaling.backend.StreamerBackendFactory;
import io.facecast.signaling.http.HttpApiServer;
import io.facecast.signaling.http.HttpOptions;
import io.facecast.signaling.metrics.SignalingMetrics;
import io.facecast.ops.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.facecast.signaling.ice.IceOptions;
import io.facecast.signaling.ice.TurnRestCredentials;
import io.facecast.signaling.session.IceServerSource;
import io.facecast.signaling.placement.LeastLoadedPlacement;
import io.facecast.signaling.placement.PlacementPolicy;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.relay.SessionEvents;
import io.facecast.signaling.session.Reaper;
import io.facecast.signaling.session.SessionManager;
import io.facecast.signaling.session.StreamerLifecycle;
import io.facecast.signaling.session.Tombstones;
import io.facecast.security.PeerIdentitySource;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Wiring of the signaling process. Tests override the outside edges (clock, channels, server transport) with
 * {@code Modules.override}.
 */
public final class SignalingModule extends AbstractModule {

    private final SignalingConfig config;
    private final HttpOptions http;
    private final IceOptions ice;
    private final InternalPlane internal;
    private final AuthOptions auth;
    private io.facecast.signaling.fleet.FleetOptions fleet = io.facecast.signaling.fleet.FleetOptions.memory();

    /** Without the browser-facing HTTP listener (gRPC only). */
    public SignalingModule(SignalingConfig config) {
        this(config, HttpOptions.disabled());
    }

    public SignalingModule(SignalingConfig config, HttpOptions http) {
        this(config, http, IceOptions.none());
    }

    /** Auth on, with one new random key nobody knows: every public call is refused until a test overrides it. */
    public SignalingModule(SignalingConfig config, HttpOptions http, IceOptions ice) {
        this(config, http, ice, null, AuthOptions.withKeys(List.of(ApiKey.generate(new SecureRandom()))));
    }

    /**
     * @param internal the internal control plane (mutual TLS); null only where a test replaces the channel factory,
     *                 the internal server and the peer identity source
     * @param auth     the public API's keys and limits
     */
    public SignalingModule(SignalingConfig config, HttpOptions http, IceOptions ice, InternalPlane internal,
                           AuthOptions auth) {
        this.config = config;
        this.http = http;
        this.ice = ice;
        this.internal = internal;
        this.auth = auth;
    }

    /** Where the fleet state lives (memory, or Redis shared by replicas) and the placement threshold. */
    public SignalingModule withFleet(io.facecast.signaling.fleet.FleetOptions options) {
        this.fleet = options;
        return this;
    }

    private InternalPlane internal() {
        if (internal == null) {
            throw new IllegalStateException("signaling needs its internal control plane's TLS material (--tls-dir)");
        }
        return internal;
    }

    @Override
    protected void configure() {
        bind(SignalingConfig.class).toInstance(config);
        bind(HttpOptions.class).toInstance(http);
        bind(IceOptions.class).toInstance(ice);
        bind(AuthOptions.class).toInstance(auth);
        bind(io.facecast.signaling.fleet.FleetOptions.class).toInstance(fleet);
        bind(PlacementPolicy.class).toInstance(new io.facecast.signaling.placement.WeightedPlacement());
        bind(SignalingServer.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    @NanoTime
    LongSupplier nanoTime() {
        return System::nanoTime;
    }

    @Provides
    @Singleton
    ChannelFactory channels() {
        return new TlsChannelFactory(internal().tls());
    }

    /** The Registry's listener: mutual TLS, a client certificate from the cluster CA required. */
    @Provides
    @Singleton
    @Named("internal")
    ServerBuilderFactory internalServerBuilders() {
        InternalPlane plane = internal();
        return () -> plane.tls().serverBuilder(plane.host(), plane.port());
    }

    @Provides
    @Singleton
    PeerIdentitySource peerIdentities() {
        return PeerIdentitySource.tls();
    }

    @Provides
    @Singleton
    ServerBuilderFactory serverBuilders(SignalingConfig config) {
        return () -> NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()));
    }

    @Provides
    @Singleton
    ScheduledExecutorService scheduler() {
        return Executors.newScheduledThreadPool(2, daemonThreads("signaling-scheduler"));
    }

    /** Best-effort cleanup calls to streamers and the renderer, off the threads that decided to close. */
    @Provides
    @Singleton
    @Named("cleanup")
    Executor cleanupExecutor() {
        ExecutorService pool = Executors.newCachedThreadPool(daemonThreads("signaling-cleanup"));
        return pool;
    }

    @Provides
    @Singleton
    RendererBackend renderer(SignalingConfig config, ChannelFactory channels) {
        return new GrpcRendererBackend(config.rendererAddress(), channels, config.controlDeadline());
    }

    @Provides
    @Singleton
    StreamerBackendFactory streamerBackends(SignalingConfig config, ChannelFactory channels) {
        return new GrpcStreamerBackendFactory(channels, config.controlDeadline());
    }

    /** In memory (one replica; time from the monotonic clock) or in Redis (wall clock: replicas on several hosts). */
    @Provides
    @Singleton
    io.facecast.signaling.fleet.FleetState fleetState(io.facecast.signaling.fleet.FleetOptions options,
                                                      @NanoTime LongSupplier nanoTime, Clock clock,
                                                      SignalingConfig config) {
        if (options.inMemory()) {
            return new io.facecast.signaling.fleet.MemoryFleetState(() -> nanoTime.getAsLong() / 1_000_000);
        }
        return new io.facecast.signaling.fleet.RedisFleetState(options.registry(), clock::millis)
                .withRebuildWindow(io.facecast.signaling.fleet.RedisFleetState.rebuildWindow(config.heartbeatInterval()));
    }

    @Provides
    @Singleton
    StreamerRegistry streamerRegistry(io.facecast.signaling.fleet.FleetState fleetState, PlacementPolicy policy,
                                      @NanoTime LongSupplier nanoTime, SignalingConfig config,
                                      io.facecast.signaling.fleet.FleetOptions options) {
        return new StreamerRegistry(fleetState, policy, nanoTime, config.streamerTimeout(), options.placementThreshold());
    }

    /** The default renderer (--renderer) and one channel per node renderer that streamers name. */
    @Provides
    @Singleton
    io.facecast.signaling.fleet.RendererDirectory renderers(RendererBackend renderer, SignalingConfig config,
                                                            ChannelFactory channels) {
        return new io.facecast.signaling.fleet.RendererDirectory(renderer, config.rendererAddress(),
                address -> new GrpcRendererBackend(address, channels, config.controlDeadline()));
    }

    /** Probes each node renderer of this replica's streamers with gRPC health once a second. */
    @Provides
    @Singleton
    io.facecast.signaling.session.RendererWatch rendererWatch(StreamerLifecycle streamers, SessionManager sessions,
                                                              SignalingConfig config, ChannelFactory channels) {
        java.util.Map<String, io.grpc.ManagedChannel> probes = new java.util.concurrent.ConcurrentHashMap<>();
        return new io.facecast.signaling.session.RendererWatch(streamers, sessions, address -> {
            String target = address.isEmpty() ? config.rendererAddress() : address;
            io.grpc.ManagedChannel channel = probes.computeIfAbsent(target,
                    a -> channels.open(a, io.facecast.security.FleetRole.RENDERER, null));
            try {
                io.grpc.health.v1.HealthGrpc.newBlockingStub(channel).withDeadlineAfter(800, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance());
                return io.facecast.signaling.session.RendererWatch.Probe.ANSWERS;
            } catch (io.grpc.StatusRuntimeException e) {
                // Any answer but these means the process is there (a renderer without the health service too).
                return switch (e.getStatus().getCode()) {
                    case UNAVAILABLE -> io.facecast.signaling.session.RendererWatch.Probe.REFUSED;
                    case DEADLINE_EXCEEDED -> io.facecast.signaling.session.RendererWatch.Probe.SILENT;
                    default -> io.facecast.signaling.session.RendererWatch.Probe.ANSWERS;
                };
            }
        });
    }

    @Provides
    @Singleton
    SessionEvents sessionEvents(Clock clock) {
        return new SessionEvents(clock);
    }

    @Provides
    @Singleton
    Tombstones tombstones(@NanoTime LongSupplier nanoTime) {
        return new Tombstones(nanoTime, Tombstones.DEFAULT_TTL, Tombstones.DEFAULT_CAPACITY);
    }

    /** The configured ICE servers, plus TURN credentials minted for each session when a shared secret is set. */
    @Provides
    @Singleton
    IceServerSource iceServers(SignalingConfig config, IceOptions ice, AuthOptions auth, Clock clock) {
        // A session's TURN credentials expire no later than its session token: no relay outlives access to the session.
        Duration ttl = auth.sessionTokenTtl().compareTo(ice.credentialTtl()) < 0 ? auth.sessionTokenTtl() : ice.credentialTtl();
        return new TurnRestCredentials(config.iceServers(), ice.turnUrls(), ice.turnSecret(), ttl, clock,
                ice.relayOnly());
    }

    @Provides
    @Singleton
    PublicAccess publicAccess(AuthOptions auth, SessionManager sessions, Clock clock, @NanoTime LongSupplier nanoTime,
                              io.facecast.signaling.fleet.FleetState fleetState) {
        return new PublicAccess(auth, sessions, clock, nanoTime, fleetState.quotas());
    }

    @Provides
    @Singleton
    SessionManager sessionManager(
            StreamerRegistry registry,
            io.facecast.signaling.fleet.RendererDirectory renderer,
            SessionEvents events,
            Tombstones tombstones,
            @NanoTime LongSupplier nanoTime,
            SignalingConfig config,
            IceServerSource iceServers,
            @Named("cleanup") Executor cleanup,
            SignalingMetrics metrics) {
        SessionManager sessions = new SessionManager(
                registry, renderer, events, tombstones, nanoTime, iceServers, config.sessionGrace(), cleanup);
        sessions.observe(metrics.bind(sessions, registry));
        return sessions;
    }

    /** The process's one meter registry (Prometheus, served at /metrics); tests override it with their own. */
    @Provides
    @Singleton
    MeterRegistry meterRegistry() {
        return Metrics.prometheus("signaling");
    }

    @Provides
    @Singleton
    SignalingMetrics signalingMetrics(MeterRegistry registry) {
        return new SignalingMetrics(registry);
    }

    @Provides
    @Singleton
    StreamerLifecycle streamerLifecycle(
            StreamerRegistry registry,
            SessionManager sessions,
            StreamerBackendFactory backends,
            ScheduledExecutorService scheduler,
            SignalingConfig config) {
        return new StreamerLifecycle(
                registry, sessions, backends, scheduler, config.heartbeatInterval(), config.streamerTimeout());
    }

    @Provides
    @Singleton
    Reaper reaper(StreamerLifecycle streamers, SessionManager sessions) {
        return new Reaper(streamers, sessions);
    }

    @Provides
    @Singleton
    HttpApiServer httpApi(HttpOptions options, SessionManager sessions, ScheduledExecutorService scheduler,
                          MeterRegistry metrics, PublicAccess access, SignalingConfig config) {
        return new HttpApiServer(options, sessions, scheduler, access, config.eventQueueCapacity()).withMetrics(metrics);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
