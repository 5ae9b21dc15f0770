package io.facecast.renderer;

import io.facecast.ops.log.LogFormat;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.facecast.renderer.avatar.pack.PackCommand;
import io.facecast.renderer.control.RendererModule;
import io.facecast.ops.lifecycle.Durations;
import io.facecast.ops.lifecycle.TermSignal;
import io.facecast.renderer.neural.LipSync;
import io.facecast.renderer.neural.LipSyncException;
import io.facecast.renderer.tts.http.HttpTtsSettings;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.facecast.security.TlsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "renderer", mixinStandardHelpOptions = true,
        description = "Turns text into lip-synced avatar frames and PCM on the streamers' media bus.",
        subcommands = {PackCommand.class, io.facecast.renderer.tts.VoicesCommand.class})
public final class RendererMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "50061",
            description = "Control port (internal plane: mutual TLS, signaling only) (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--avatar-dir", description = "Folder of avatar packs (one sub-folder each, docs/avatar-packs.md), "
            + "read again on every OpenSession; the built-in packs are always available.")
    Path avatarDir;

    @Option(names = "--lipsync-model", paramLabel = "FILE",
            description = "Neural lip-sync model (Wav2Lip signature, e.g. an .onnx file) that drives every session's mouth "
                    + "instead of the procedural one; needs a plug-in on the class path (README: Neural lip-sync plug-in).")
    Path lipSyncModel;

    @Option(names = "--lipsync-device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "Where the lip-sync model runs: cpu, or cuda[:N] (default ${DEFAULT-VALUE}).")
    String lipSyncDevice;

    @Option(names = "--tts-http-url", description = "OpenAI-compatible speech endpoint for \"http:<voice>\" voices,"
            + " e.g. http://127.0.0.1:8000/v1/audio/speech (unset: no HTTP voices).")
    String ttsHttpUrl;

    @Option(names = "--tts-http-key", description = "Bearer key for --tts-http-url (default: env FACECAST_TTS_HTTP_KEY;"
            + " the variable keeps it out of the process list).")
    String ttsHttpKey;

    @Option(names = "--tts-http-model", defaultValue = "tts-1", description = "Model sent to --tts-http-url (default ${DEFAULT-VALUE}).")
    String ttsHttpModel;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "TLS material: DIR/ca.crt and DIR/<id>.crt|key (facecast certs init|issue). "
                    + "Default: $FACECAST_TLS_DIR, else ~/.facecast/tls.")
    Path tlsDir = TlsFiles.defaultDir();

    @Option(names = "--id", defaultValue = "renderer",
            description = "The renderer's fleet id, the identity in its certificate (default ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--bus-root", description = "The streamers' bus root: sessions' queues must be directly under it "
            + "(default: ${DEFAULT-VALUE}, the streamer's default).")
    Path busRoot = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm/facecast-bus"
            : System.getProperty("java.io.tmpdir") + "/facecast-bus");

    @Option(names = "--ops-port", defaultValue = "9461", description = "Port of the ops HTTP listener (/metrics, /healthz, POST /drain,"
            + " /readyz) on --host; 0 picks a free one, -1 turns it off (default ${DEFAULT-VALUE}).")
    int opsPort;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as text, or as one JSON object"
            + " each (time, level, logger, thread, message, exception, MDC incl. session_id). Default:"
            + " $FACECAST_LOG_FORMAT, else text.")
    String logFormat;

    @Option(names = "--render-threads", defaultValue = "2", paramLabel = "N", description = "Threads rendering"
            + " utterances, shared by all sessions in turns (default ${DEFAULT-VALUE}: one per core of the machines"
            + " measured).")
    int renderThreads;

    @Option(names = "--drain-timeout", defaultValue = "30m", paramLabel = "DURATION", description = "After SIGTERM (or"
            + " POST /drain on the ops port) open sessions are served for at most this long, e.g. 30m, 90s, PT1H"
            + " (default ${DEFAULT-VALUE}); a second SIGTERM stops at once.")
    String drainTimeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new RendererMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            LogFormat.apply(logFormat); // before the first logger: slf4j binds its provider then
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String key = ttsHttpKey != null ? ttsHttpKey : System.getenv("FACECAST_TTS_HTTP_KEY");
        LipSync lipSync;
        try {
            lipSync = lipSyncModel == null ? LipSync.NONE
                    : LipSync.load(lipSyncModel, lipSyncDevice, RendererMain.class.getClassLoader());
        } catch (LipSyncException e) {
            System.err.println("renderer: " + e.getMessage());
            return 2;
        }
        FleetTls tls;
        try {
            tls = FleetTls.load(tlsDir, FleetRole.RENDERER, id);
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "internal control plane: " + e.getMessage());
        }
        RendererConfig config;
        try {
            config = new RendererConfig(id, host, port, avatarDir, new HttpTtsSettings(ttsHttpUrl, key, ttsHttpModel),
                    busRoot, opsPort, renderThreads, Durations.parse(drainTimeout));
        } catch (IllegalArgumentException e) {
            lipSync.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Injector injector = Guice.createInjector(new RendererModule(config, lipSync));
        RendererServer server = injector.getInstance(RendererServer.class).start(tls);
        // SIGTERM drains (a second forces); Ctrl-C and System.exit stop at once through the hook.
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RendererMain.class);
        TermSignal.onTerm(() -> log.info(server.drain("SIGTERM")));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "renderer-shutdown"));
        server.awaitTermination();
        return 0;
    }
}
