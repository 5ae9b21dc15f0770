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
import io.facecast.signaling.backend.ChannelFactory;
import io.facecast.signaling.session.Reaper;
import io.facecast.signaling.session.SessionManager;
import io.grpc.ManagedChannel;
import io.grpc.Server;
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
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The real signaling (its Guice module, services, session logic) over in-process gRPC, talking to a fake renderer
 * and fake streamers; only the clock, the transports and the cleanup executor are replaced.
 */
public final class SignalingHarness implements AutoCloseable {

    public static final Duration GRACE = Duration.ofSeconds(5);
    public static final Duration HEARTBEAT = Duration.ofMillis(1000);

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

    public SignalingHarness() throws IOException {
        rendererAddress = prefix + "-renderer:50061";
        servers.add(InProcessServerBuilder.forName(rendererAddress).addService(renderer).build().start());
        String signalingName = prefix + "-signaling";
        SignalingConfig config = new SignalingConfig("127.0.0.1", 0, rendererAddress, List.of(), GRACE, HEARTBEAT,
                Duration.ofSeconds(5));
        ManualNanoTime nanoTime = time;
        injector = Guice.createInjector(Modules.override(new SignalingModule(config)).with(new AbstractModule() {
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
                return address -> InProcessChannelBuilder.forName(address).build();
            }

            @Provides
            @Singleton
            ServerBuilderFactory serverBuilders() {
                return () -> InProcessServerBuilder.forName(signalingName);
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
        signalingChannel = InProcessChannelBuilder.forName(signalingName).build();
        channels.add(signalingChannel);
    }

    public FacecastGrpc.FacecastBlockingStub facecast() {
        return FacecastGrpc.newBlockingStub(signalingChannel);
    }

    /** The channel to signaling, for calls built by hand (e.g. a watcher that never requests a message). */
    public ManagedChannel channel() {
        return signalingChannel;
    }

    public FacecastGrpc.FacecastStub facecastAsync() {
        return FacecastGrpc.newStub(signalingChannel);
    }

    public RegistryGrpc.RegistryBlockingStub registry() {
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
        registry().registerStreamer(RegisterStreamerRequest.newBuilder()
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
