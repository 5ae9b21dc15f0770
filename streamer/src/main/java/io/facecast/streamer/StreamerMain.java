package io.facecast.streamer;

import io.facecast.ops.log.LogFormat;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.ops.OpsServer;
import io.facecast.rtc.PeerFactories;
import io.facecast.rtc.SenderOptions;
import io.facecast.streamer.metrics.StreamerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.facecast.streamer.control.StreamerControlService;
import io.facecast.streamer.events.StreamerEvents;
import io.facecast.streamer.ingest.BusIngest;
import io.facecast.streamer.registration.SignalingRegistration;
import io.facecast.streamer.schedule.SchedulerConfig;
import io.facecast.streamer.schedule.StreamerScheduler;
import io.facecast.streamer.session.StreamerSessions;
import io.facecast.security.FleetAuthorization;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.facecast.security.PeerIdentitySource;
import io.facecast.security.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The streamer process: tails its queue, paces every session from one clock, sends it over WebRTC. */
@Command(name = "facecast-streamer", mixinStandardHelpOptions = true,
        description = "Tails the media bus, paces audio and video from one clock, and streams each session over WebRTC.")
public final class StreamerMain implements Callable<Integer> {
    /** Made in call(), after --log-format is applied: a static logger would bind slf4j before the flag is read. */
    private Logger log;

    @Option(names = "--id", description = "Streamer id; its queue is <bus-root>/<id> (default: ${DEFAULT-VALUE})")
    String id = "streamer-1";
    @Option(names = "--host", description = "Address to listen on and advertise (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";
    @Option(names = "--port", description = "Control port (internal plane: mutual TLS, signaling only); 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port = 50071;
    @Option(names = "--signaling", description = "Signaling's internal control plane (its --internal-port) to register with (default: ${DEFAULT-VALUE})")
    String signaling = "127.0.0.1:50052";
    @Option(names = "--bus-root", description = "Bus root directory shared with the renderer (default: ${DEFAULT-VALUE})")
    Path busRoot = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm/facecast-bus" : System.getProperty("java.io.tmpdir") + "/facecast-bus");
    @Option(names = "--max-sessions", description = "Sessions this streamer accepts (default: ${DEFAULT-VALUE})")
    int maxSessions = 8;
    @Option(names = "--tls-dir", paramLabel = "DIR", description = "TLS material: DIR/ca.crt and DIR/<id>.crt|key "
            + "(facecast certs init|issue); the certificate must name this streamer's --id. "
            + "Default: $FACECAST_TLS_DIR, else ~/.facecast/tls.")
    Path tlsDir = TlsFiles.defaultDir();
    @Option(names = "--ops-port", description = "Port of the ops HTTP listener (/metrics, /healthz, /readyz) on --host;"
            + " 0 picks a free one, -1 turns it off (default: ${DEFAULT-VALUE})")
    int opsPort = 9471;
    @Option(names = "--test-audio-delay-ms", paramLabel = "MS", description = "TEST/DIAGNOSTIC ONLY: every session's"
            + " audio sounds MS ms after its video (0 to 1000), a deliberate lip-sync fault for checking a meter"
            + " (facecast meter); never set it in service (default: ${DEFAULT-VALUE})")
    int testAudioDelayMs = 0;

    @Option(names = "--video-codec", paramLabel = "VP8|H264|VP9|AV1", description = "Video codec offered first to"
            + " clients whose offer has it (cost and picture per codec: docs/performance.md; default: ${DEFAULT-VALUE})")
    String videoCodec = SenderOptions.DEFAULT_VIDEO_CODEC;
    @Option(names = "--video-max-bitrate", paramLabel = "BPS", description = "Upper bound of each session's video"
            + " bitrate, bits per second (default: ${DEFAULT-VALUE})")
    int videoMaxBitrate = SenderOptions.DEFAULT_MAX_VIDEO_BITRATE;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as text, or as one JSON object"
            + " each (time, level, logger, thread, message, exception, MDC incl. session_id). Default:"
            + " $FACECAST_LOG_FORMAT, else text.")
    String logFormat;

    public static void main(String[] args) {
        // Before Guice makes a peer connection factory: a missing system library is one line naming its package.
        io.facecast.rtc.NativeLibrary.requireOrExit("streamer");
        System.exit(new CommandLine(new StreamerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            LogFormat.apply(logFormat); // before the first logger: slf4j binds its provider then
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        log = LoggerFactory.getLogger(StreamerMain.class);
        if (maxSessions < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--max-sessions must be at least 1");
        }
        FleetTls tls;
        try {
            tls = FleetTls.load(tlsDir, FleetRole.STREAMER, id);
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "internal control plane: " + e.getMessage());
        }
        if (testAudioDelayMs < 0 || testAudioDelayMs > SchedulerConfig.MAX_TEST_AUDIO_DELAY_MILLIS) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--test-audio-delay-ms must be 0 to "
                    + SchedulerConfig.MAX_TEST_AUDIO_DELAY_MILLIS);
        }
        if (!List.of("VP8", "H264", "VP9", "AV1").contains(videoCodec.toUpperCase(java.util.Locale.ROOT))) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--video-codec must be VP8, H264, VP9 or AV1");
        }
        if (videoMaxBitrate < SenderOptions.DEFAULT_MIN_VIDEO_BITRATE) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--video-max-bitrate must be at least "
                    + SenderOptions.DEFAULT_MIN_VIDEO_BITRATE);
        }
        SenderOptions senderOptions = SenderOptions.defaults().withVideoCodec(videoCodec)
                .withVideoBitrate(SenderOptions.DEFAULT_MIN_VIDEO_BITRATE, videoMaxBitrate);
        StreamerConfig config = new StreamerConfig(id, host, port, signaling, busRoot, maxSessions);
        Files.createDirectories(config.busPath());
        if (testAudioDelayMs != 0) {
            log.warn("TEST OPTION --test-audio-delay-ms {}: audio is deliberately {} ms behind video", testAudioDelayMs,
                    testAudioDelayMs);
        }
        Injector injector = Guice.createInjector(new StreamerModule(config,
                SchedulerConfig.defaults().withTestAudioDelayMillis(testAudioDelayMs), senderOptions));
        StreamerScheduler scheduler = injector.getInstance(StreamerScheduler.class);
        BusIngest ingest = injector.getInstance(BusIngest.class);
        StreamerSessions sessions = injector.getInstance(StreamerSessions.class);
        StreamerEvents events = injector.getInstance(StreamerEvents.class);
        HealthStatusManager health = new HealthStatusManager();

        scheduler.start();
        ingest.start();
        // Only signaling controls the streamer and watches its events (every session's captions): mutual TLS, and
        // the signaling role. The server certificate names this streamer, so signaling knows it dialled the right one.
        Server server = tls.serverBuilder(host, port)
                .addService(FleetAuthorization.admit(injector.getInstance(StreamerControlService.class),
                        PeerIdentitySource.tls(), FleetRole.SIGNALING))
                .addService(health.getHealthService())
                .build().start();
        health.setStatus("", ServingStatus.SERVING);
        ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stats");
            t.setDaemon(true);
            return t;
        });
        stats.scheduleAtFixedRate(sessions::publishStats, 2, 2, TimeUnit.SECONDS);
        StreamerMetrics metrics = injector.getInstance(StreamerMetrics.class);
        stats.scheduleAtFixedRate(() -> metrics.sample(sessions.samples()), 1, 2, TimeUnit.SECONDS);
        OpsServer ops = OpsServer.start("streamer", host, opsPort, injector.getInstance(MeterRegistry.class),
                () -> !server.isShutdown());

        ManagedChannel toSignaling = tls.channel(signaling, FleetRole.SIGNALING);
        SignalingRegistration registration = new SignalingRegistration(toSignaling, RegisterStreamerRequest.newBuilder()
                .setStreamerId(id).setControlAddress(config.advertisedAddress(server.getPort()))
                .setBusPath(config.busPath().toString()).setMaxSessions(maxSessions).build(), sessions::size, sessions::close);
        System.out.println("streamer " + id + " listening on " + host + ":" + server.getPort() + " (mutual TLS, as "
                + tls.self() + "; bus " + config.busPath() + ")");
        if (ops != null) {
            System.out.println("streamer ops on " + ops.baseUrl() + " (metrics, healthz, readyz)");
        }
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
