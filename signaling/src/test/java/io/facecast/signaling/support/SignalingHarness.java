package io.facecast.signaling.support;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import com.google.inject.util.Modules;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegistryGrpc;
import io.facecast.signaling.NanoTime;
import io.facecast.signaling.ServerBuilderFactory;
import io.facecast.signaling.SignalingConfig;
import io.facecast.signaling.SignalingModule;
import io.facecast.signaling.SignalingServer;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.backend.ChannelFactory;
import io.facecast.signaling.http.HttpOptions;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import io.facecast.signaling.session.Reaper;
import io.facecast.signaling.session.SessionManager;
import io.facecast.security.FleetIdentity;
import io.facecast.security.FleetRole;
import io.facecast.security.PeerIdentitySource;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.stub.MetadataUtils;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The real signaling (its Guice module, services, session logic) over in-process gRPC, talking to a fake renderer
 * and fake streamers; only the clock, the transports and the cleanup executor are replaced. In-process calls carry
 * no TLS session, so the caller's fleet identity comes from a test header ({@link #IDENTITY}) instead of a
 * certificate; the authorization that follows is the real one. Real mutual TLS is tested in the security module and
 * the integration tests.
 */
public final class SignalingHarness implements AutoCloseable {

    public static final Duration GRACE = Duration.ofSeconds(5);
    public static final Duration HEARTBEAT = Duration.ofMillis(1000);
    /** "role/id" or "role/id#certificate" of an in-process caller. */
    public static final Metadata.Key<String> IDENTITY = Metadata.Key.of("x-test-fleet-identity", Metadata.ASCII_STRING_MARSHALLER);

    public final CallLog log = new CallLog();
    public final ManualNanoTime time = new ManualNanoTime();
    public final FakeRendererServer renderer = new FakeRendererServer(log);
    public final Map<String, FakeStreamerServer> streamers = new HashMap<>();
    public final String rendererAddress;
    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Server> servers = new ArrayList<>();
    private final Map<String, Server> streamerServers = new HashMap<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Injector injector;
    private final SignalingServer signaling;
    private final ManagedChannel signalingChannel;
    private final ManagedChannel internalChannel;
    /** The key the harness's signaling accepts; {@link #facecast()} and {@link #facecastAsync()} send it. */
    public final ApiKey apiKey = ApiKey.generate(new SecureRandom());
    /** Limits loose enough that no existing test meets them; auth tests pass their own. */
    public static final int LOOSE_QUOTA = 1000;

    public SignalingHarness() throws IOException {
        this(false, null);
    }

    /**
     * @param sockets serve the public gRPC API on a real loopback socket (Netty, port 0) and HTTP on another,
     *                instead of in-process
     * @param auth    auth options; null: auth on with {@link #apiKey} and loose limits
     */
    public SignalingHarness(boolean sockets, AuthOptions auth) throws IOException {
        this(sockets, auth, null);
    }

    /**
     * @param fleet the fleet state this replica uses (e.g. a {@link io.facecast.signaling.fleet.RedisFleetState}
     *              shared with another harness: two replicas); null: in memory
     */
    public SignalingHarness(boolean sockets, AuthOptions auth, io.facecast.signaling.fleet.FleetState fleet)
            throws IOException {
        rendererAddress = prefix + "-renderer:50061";
        servers.add(InProcessServerBuilder.forName(rendererAddress).addService(renderer).build().start());
        String signalingName = prefix + "-signaling";
        String internalName = prefix + "-signaling-internal";
        SignalingConfig config = new SignalingConfig("127.0.0.1", 0, rendererAddress, List.of(), GRACE, HEARTBEAT,
                Duration.ofSeconds(5));
        ManualNanoTime nanoTime = time;
        AuthOptions authOptions = auth != null ? auth
                : AuthOptions.withKeys(List.of(apiKey)).withLimits(LOOSE_QUOTA, 1e6, 1_000_000);
        HttpOptions httpOptions = sockets ? new HttpOptions("127.0.0.1", 0, "") : HttpOptions.disabled();
        AbstractModule fleetOverride = new AbstractModule() {
            @Override
            protected void configure() {
                if (fleet != null) {
                    bind(io.facecast.signaling.fleet.FleetState.class).toInstance(fleet);
                }
            }
        };
        injector = Guice.createInjector(Modules.override(new SignalingModule(config)).with(fleetOverride, new AbstractModule() {
            @Override
            protected void configure() {
                bind(AuthOptions.class).toInstance(authOptions);
                bind(HttpOptions.class).toInstance(httpOptions);
            }

            @Provides
            @Singleton
            @NanoTime
            LongSupplier nanoTime() {
                return nanoTime;
            }

            @Provides
            @Singleton
            Clock clock() {
                return Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
            }

            @Provides
            @Singleton
            ChannelFactory channels() {
                return (address, role, id) -> InProcessChannelBuilder.forName(address).build();
            }

            @Provides
            @Singleton
            ServerBuilderFactory serverBuilders() {
                return sockets ? () -> NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        : () -> InProcessServerBuilder.forName(signalingName);
            }

            @Provides
            @Singleton
            @Named("internal")
            ServerBuilderFactory internalServerBuilders() {
                return () -> InProcessServerBuilder.forName(internalName);
            }

            @Provides
            @Singleton
            PeerIdentitySource peers() {
                return (call, headers) -> Optional.ofNullable(headers.get(IDENTITY)).map(SignalingHarness::identity);
            }

            @Provides
            @Singleton
            @Named("cleanup")
            Executor cleanup() {
                // Cleanup runs inline so a test sees its effect as soon as the closing call returns.
                return Runnable::run;
            }
        }));
        signaling = injector.getInstance(SignalingServer.class).start();
        // Tests drive the reaper by hand after moving the clock; the periodic one would race them (first run is 1 s away).
        injector.getInstance(Reaper.class).stop();
        signalingChannel = sockets
                ? NettyChannelBuilder.forAddress("127.0.0.1", signaling.port()).usePlaintext().build()
                : InProcessChannelBuilder.forName(signalingName).build();
        channels.add(signalingChannel);
        internalChannel = InProcessChannelBuilder.forName(internalName).build();
        channels.add(internalChannel);
    }

    private static FleetIdentity identity(String header) {
        String[] certificate = header.split("#", 2);
        String[] roleId = certificate[0].split("/", 2);
        return new FleetIdentity(FleetRole.parse(roleId[0]), roleId[1], certificate.length > 1 ? certificate[1] : "cert-1");
    }

    /** The public API with the harness's API key. */
    public FacecastGrpc.FacecastBlockingStub facecast() {
        return facecastAs(apiKey.value());
    }

    /** The channel to signaling, for calls built by hand (e.g. a watcher that never requests a message). */
    public ManagedChannel channel() {
        return signalingChannel;
    }

    public FacecastGrpc.FacecastStub facecastAsync() {
        return FacecastGrpc.newStub(signalingChannel).withCallCredentials(Bearer.of(apiKey.value()));
    }

    /** The public API with this bearer credential (API key or access token); null sends none. */
    public FacecastGrpc.FacecastBlockingStub facecastAs(String bearer) {
        FacecastGrpc.FacecastBlockingStub stub = FacecastGrpc.newBlockingStub(signalingChannel);
        return bearer == null ? stub : stub.withCallCredentials(Bearer.of(bearer));
    }

    public FacecastGrpc.FacecastStub facecastAsyncAs(String bearer) {
        FacecastGrpc.FacecastStub stub = FacecastGrpc.newStub(signalingChannel);
        return bearer == null ? stub : stub.withCallCredentials(Bearer.of(bearer));
    }

    /** The HTTP listener's base URL (http://127.0.0.1:port/), with sockets only. */
    public String httpBase() {
        return signaling.http().baseUrl();
    }

    /** The HTTP listener itself (e.g. to set what /readyz answers). */
    public io.facecast.signaling.http.HttpApiServer http() {
        return signaling.http();
    }

    public int grpcPort() {
        return signaling.port();
    }

    /** The registry on the internal port, called without any fleet identity. */
    public RegistryGrpc.RegistryBlockingStub registry() {
        return RegistryGrpc.newBlockingStub(internalChannel);
    }

    /** The registry as the holder of a streamer certificate for {@code id}. */
    public RegistryGrpc.RegistryBlockingStub registry(String id) {
        return registryAs("streamer/" + id);
    }

    /** The registry as any identity: "role/id", or "role/id#certificate" for a second certificate of one id. */
    public RegistryGrpc.RegistryBlockingStub registryAs(String identity) {
        Metadata headers = new Metadata();
        headers.put(IDENTITY, identity);
        return registry().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The public port's registry, which must not exist there. */
    public RegistryGrpc.RegistryBlockingStub publicRegistry() {
        return RegistryGrpc.newBlockingStub(signalingChannel);
    }

    public String streamerAddress(String id) {
        return prefix + "-" + id + ":50071";
    }

    /** Starts a fake streamer, registers it, and waits until signaling holds its event stream. */
    public FakeStreamerServer addStreamer(String id, int maxSessions) throws IOException, InterruptedException {
        FakeStreamerServer streamer = new FakeStreamerServer(id, log);
        Server server = InProcessServerBuilder.forName(streamerAddress(id)).addService(streamer).build().start();
        servers.add(server);
        streamerServers.put(id, server);
        streamers.put(id, streamer);
        register(id, maxSessions);
        streamer.awaitSubscriptions(1);
        return streamer;
    }

    public void register(String id, int maxSessions) {
        registry(id).registerStreamer(RegisterStreamerRequest.newBuilder()
                .setStreamerId(id)
                .setControlAddress(streamerAddress(id))
                .setBusPath("/tmp/bus-" + id)
                .setMaxSessions(maxSessions)
                .build());
    }

    /** Stops the fake renderer's server, so signaling finds it unreachable. */
    public void stopRenderer() throws InterruptedException {
        servers.get(0).shutdownNow().awaitTermination();
    }

    /** Stops a fake streamer's server without telling signaling, as a crash would. */
    public void stopStreamer(String id) throws InterruptedException {
        streamerServers.get(id).shutdownNow().awaitTermination();
    }

    public Reaper reaper() {
        return injector.getInstance(Reaper.class);
    }

    /** Signaling's meter registry (the production one from SignalingModule). */
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return injector.getInstance(io.micrometer.core.instrument.MeterRegistry.class);
    }

    /** Any object of the harness's injector (the real wiring). */
    public <T> T get(Class<T> type) {
        return injector.getInstance(type);
    }

    /** Registers again, listing the sessions the streamer still holds (as after signaling restarted). */
    public void register(String id, int maxSessions, java.util.List<String> liveSessions) {
        registry(id).registerStreamer(RegisterStreamerRequest.newBuilder()
                .setStreamerId(id)
                .setControlAddress(streamerAddress(id))
                .setBusPath("/tmp/bus-" + id)
                .setMaxSessions(maxSessions)
                .addAllLiveSessions(liveSessions)
                .build());
    }

    public SessionManager sessions() {
        return injector.getInstance(SessionManager.class);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        signaling.close();
        servers.forEach(Server::shutdownNow);
    }
}
