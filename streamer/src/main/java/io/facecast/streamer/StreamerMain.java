package io.facecast.streamer;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.rtc.PeerFactories;
import io.facecast.streamer.control.StreamerControlService;
import io.facecast.streamer.events.StreamerEvents;
import io.facecast.streamer.ingest.BusIngest;
import io.facecast.streamer.registration.SignalingRegistration;
import io.facecast.streamer.schedule.StreamerScheduler;
import io.facecast.streamer.session.StreamerSessions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The streamer process: tails its queue, paces every session from one clock, sends it over WebRTC. */
@Command(name = "facecast-streamer", mixinStandardHelpOptions = true,
        description = "Tails the media bus, paces audio and video from one clock, and streams each session over WebRTC.")
public final class StreamerMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(StreamerMain.class);

    @Option(names = "--id", description = "Streamer id; its queue is <bus-root>/<id> (default: ${DEFAULT-VALUE})")
    String id = "streamer-1";
    @Option(names = "--host", description = "Address to listen on and advertise (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";
    @Option(names = "--port", description = "Control port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port = 50071;
    @Option(names = "--signaling", description = "Signaling address to register with (default: ${DEFAULT-VALUE})")
    String signaling = "127.0.0.1:50051";
    @Option(names = "--bus-root", description = "Bus root directory shared with the renderer (default: ${DEFAULT-VALUE})")
    Path busRoot = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm/facecast-bus" : System.getProperty("java.io.tmpdir") + "/facecast-bus");
    @Option(names = "--max-sessions", description = "Sessions this streamer accepts (default: ${DEFAULT-VALUE})")
    int maxSessions = 8;

    public static void main(String[] args) {
        // Before Guice makes a peer connection factory: a missing system library is one line naming its package.
        io.facecast.rtc.NativeLibrary.requireOrExit("streamer");
        System.exit(new CommandLine(new StreamerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (maxSessions < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--max-sessions must be at least 1");
        }
        StreamerConfig config = new StreamerConfig(id, host, port, signaling, busRoot, maxSessions);
        Files.createDirectories(config.busPath());
        Injector injector = Guice.createInjector(new StreamerModule(config));
        StreamerScheduler scheduler = injector.getInstance(StreamerScheduler.class);
        BusIngest ingest = injector.getInstance(BusIngest.class);
        StreamerSessions sessions = injector.getInstance(StreamerSessions.class);
        StreamerEvents events = injector.getInstance(StreamerEvents.class);
        HealthStatusManager health = new HealthStatusManager();

        scheduler.start();
        ingest.start();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(injector.getInstance(StreamerControlService.class))
                .addService(health.getHealthService())
                .build().start();
        health.setStatus("", ServingStatus.SERVING);
        ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stats");
            t.setDaemon(true);
            return t;
        });
        stats.scheduleAtFixedRate(sessions::publishStats, 2, 2, TimeUnit.SECONDS);

        ManagedChannel toSignaling = NettyChannelBuilder.forTarget(signaling).usePlaintext().build();
        SignalingRegistration registration = new SignalingRegistration(toSignaling, RegisterStreamerRequest.newBuilder()
                .setStreamerId(id).setControlAddress(config.advertisedAddress(server.getPort()))
                .setBusPath(config.busPath().toString()).setMaxSessions(maxSessions).build(), sessions::size, sessions::close);
        System.out.println("streamer " + id + " listening on " + host + ":" + server.getPort() + " (bus " + config.busPath() + ")");
        System.out.flush();
        registration.start();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            health.enterTerminalState();
            registration.close();
            stats.shutdownNow();
            sessions.close();
            events.completeAll();
            server.shutdown();
            scheduler.close();
            try {
                ingest.close();
                server.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            PeerFactories.dispose(injector.getInstance(PeerConnectionFactory.class));
        }, "shutdown"));
        server.awaitTermination();
        return 0;
    }
}
