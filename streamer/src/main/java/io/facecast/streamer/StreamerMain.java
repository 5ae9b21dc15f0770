package io.facecast.streamer;

import io.facecast.ops.log.LogFormat;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.facecast.ops.lifecycle.Durations;
import io.facecast.ops.lifecycle.TermSignal;
import io.facecast.rtc.EncoderThreadPriority;
import io.facecast.rtc.OpusFmtp;
import io.facecast.rtc.SenderOptions;
import io.facecast.rtc.UdpPortRange;
import io.facecast.streamer.schedule.SchedulerConfig;
import io.facecast.streamer.registration.SignalingAddresses;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.facecast.security.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

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
    @Option(names = "--signaling", paramLabel = "HOST:PORT[,HOST:PORT...]", description = "Signaling's internal control"
            + " plane (its --internal-port) to register with; several replicas separated by commas are tried in order,"
            + " and the streamer registers with the next one when its replica is gone (docs/fleet.md)"
            + " (default: ${DEFAULT-VALUE})")
    String signaling = "127.0.0.1:50052";
    @Option(names = "--bus-root", description = "Bus root directory shared with the renderer (default: ${DEFAULT-VALUE})")
    Path busRoot = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm/facecast-bus" : System.getProperty("java.io.tmpdir") + "/facecast-bus");
    @Option(names = "--max-sessions", description = "Sessions this streamer accepts (default: ${DEFAULT-VALUE})")
    int maxSessions = 8;
    @Option(names = "--tls-dir", paramLabel = "DIR", description = "TLS material: DIR/ca.crt and DIR/<id>.crt|key "
            + "(facecast certs init|issue); the certificate must name this streamer's --id. "
            + "Default: $FACECAST_TLS_DIR, else ~/.facecast/tls.")
    Path tlsDir = TlsFiles.defaultDir();
    @Option(names = "--ops-port", description = "Port of the ops HTTP listener (/metrics, /healthz, /readyz, POST /drain) on --host;"
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
    @Option(names = "--opus-params", paramLabel = "K=V;...", defaultValue = "${sys:facecast.opusParams:-}",
            description = "Opus encoder settings for every session, set on the client's offer: maxplaybackrate,"
            + " maxaveragebitrate, usedtx, useinbandfec, cbr, e.g. \"maxplaybackrate=16000\" (cost and sound:"
            + " docs/performance.md; default: as the client offers; -Dfacecast.opusParams=... sets the default)")
    String opusParams = "";
    @Option(names = "--video-encoder-nice", paramLabel = "N", defaultValue = "${sys:facecast.videoEncoderNice:-"
            + SenderOptions.DEFAULT_VIDEO_ENCODER_NICE + "}", description = "Nice value of libwebrtc's video encoder"
            + " threads, 0 to 19: above the rest of the streamer, so the audio path wins the CPU on a busy node; 0"
            + " leaves them at the process's (docs/performance.md; default: ${DEFAULT-VALUE};"
            + " -Dfacecast.videoEncoderNice=N sets the default)")
    int videoEncoderNice = SenderOptions.DEFAULT_VIDEO_ENCODER_NICE;
    @Option(names = "--pacing-rt-priority", paramLabel = "N", defaultValue = "${sys:facecast.pacingRtPriority:-"
            + SchedulerConfig.DEFAULT_REAL_TIME_PRIORITY + "}", description = "SCHED_FIFO priority of the pacing"
            + " thread, 1 to 99, so it runs the moment a chunk is due instead of waiting for a core; needs"
            + " CAP_SYS_NICE or an rtprio limit (without them it stays an ordinary thread and says so); 0: never ask"
            + " (docs/performance.md; default: ${DEFAULT-VALUE}; -Dfacecast.pacingRtPriority=N sets the default)")
    int pacingRtPriority = SchedulerConfig.DEFAULT_REAL_TIME_PRIORITY;
    @Option(names = "--rtc-port-range", paramLabel = "MIN-MAX", description = "Local UDP ports for media (ICE"
            + " candidates), for firewalls and pods that declare their media ports, e.g. 40000-40999; each session"
            + " takes one port per candidate, so size the range for the sessions (default: any free port)")
    String rtcPortRange = "";

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as text, or as one JSON object"
            + " each (time, level, logger, thread, message, exception, MDC incl. session_id). Default:"
            + " $FACECAST_LOG_FORMAT, else text.")
    String logFormat;

    @Option(names = "--node-id", paramLabel = "ID", description = "The node this streamer belongs to: one host's"
            + " renderer and the streamers sharing its bus root (default: the streamer's --id)")
    String nodeId;

    @Option(names = "--renderer", paramLabel = "HOST:PORT", description = "Control address of this node's renderer,"
            + " sent with the registration: signaling sends every render call for this streamer's sessions there"
            + " (default: empty, signaling's own --renderer)")
    String renderer = "";

    @Option(names = "--drain-timeout", paramLabel = "DURATION", description = "After SIGTERM (or POST /drain on the"
            + " ops port) live sessions play on for at most this long, e.g. 30m, 90s, PT1H (default: ${DEFAULT-VALUE});"
            + " a second SIGTERM closes them at once")
    String drainTimeout = "30m";

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
        if (pacingRtPriority < 0 || pacingRtPriority > io.facecast.rtc.RealTimeThread.MAX_PRIORITY) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--pacing-rt-priority must be 0 to "
                    + io.facecast.rtc.RealTimeThread.MAX_PRIORITY);
        }
        if (videoEncoderNice < 0 || videoEncoderNice > EncoderThreadPriority.MAX_NICE) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--video-encoder-nice must be 0 to "
                    + EncoderThreadPriority.MAX_NICE);
        }
        SenderOptions senderOptions = SenderOptions.defaults().withVideoCodec(videoCodec)
                .withVideoEncoderNice(videoEncoderNice)
                .withVideoBitrate(SenderOptions.DEFAULT_MIN_VIDEO_BITRATE, videoMaxBitrate);
        try {
            senderOptions = senderOptions.withOpusParams(OpusFmtp.parse(opusParams));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--opus-params: " + e.getMessage());
        }
        try {
            senderOptions = senderOptions.withUdpPorts(UdpPortRange.parse(rtcPortRange));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rtc-port-range: " + e.getMessage());
        }
        Duration drain;
        try {
            drain = Durations.parse(drainTimeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--drain-timeout: " + e.getMessage());
        }
        if (!renderer.isEmpty() && !renderer.matches("[^\\s/@]+:\\d{1,5}")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--renderer must be HOST:PORT, not '"
                    + renderer + "'");
        }
        try {
            SignalingAddresses.parse(signaling);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        StreamerConfig config = new StreamerConfig(id, host, port, signaling, busRoot, maxSessions, nodeId, renderer,
                opsPort, drain, SchedulerConfig.defaults().withTestAudioDelayMillis(testAudioDelayMs)
                        .withRealTimePriority(pacingRtPriority), senderOptions);
        if (testAudioDelayMs != 0) {
            log.warn("TEST OPTION --test-audio-delay-ms {}: audio is deliberately {} ms behind video", testAudioDelayMs,
                    testAudioDelayMs);
        }
        Injector injector = Guice.createInjector(new StreamerModule(config));
        StreamerServer server = injector.getInstance(StreamerServer.class).start(tls);
        // SIGTERM drains (a second forces); Ctrl-C and System.exit stop at once through the hook.
        TermSignal.onTerm(() -> log.info(server.drain("SIGTERM")));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        server.awaitTermination();
        return 0;
    }
}
