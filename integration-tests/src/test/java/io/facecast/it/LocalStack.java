package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.client.FacecastClient;
import io.facecast.security.ClusterCa;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The three Facecast processes on loopback, as separate JVMs sharing one bus root directory: renderer, signaling and
 * one or more streamers (each tails its own queue below the bus root). The stack has its own cluster CA and a
 * certificate per process in {@link #tlsDir}, as {@code ./facecast up} makes them; the internal control plane runs
 * on mutual TLS exactly as in production.
 */
final class LocalStack implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final Path busRoot;
    final Path tlsDir;
    /** host:port of the renderer's control port and of signaling's internal control plane (both mutual TLS). */
    String rendererTarget;
    String signalingInternal;
    final JvmProcess renderer;
    final JvmProcess signaling;
    final List<JvmProcess> streamers = new ArrayList<>();
    final List<String> streamerControl = new ArrayList<>();
    final String signalingTarget;
    /** The API key signaling accepts (it wrote it to the stack's key file); null with --insecure-no-auth. */
    final String apiKey;
    /** The file holding {@link #apiKey}, for processes that read it themselves (the CLI). */
    final Path apiKeyFile;

    private LocalStack(Path busRoot, Path tlsDir, JvmProcess renderer, JvmProcess signaling, String signalingTarget,
                       String apiKey, Path apiKeyFile) {
        this.busRoot = busRoot;
        this.tlsDir = tlsDir;
        this.renderer = renderer;
        this.signaling = signaling;
        this.signalingTarget = signalingTarget;
        this.apiKey = apiKey;
        this.apiKeyFile = apiKeyFile;
    }

    /** A client of the public API that sends the stack's API key. */
    FacecastClient client() {
        return FacecastClient.connect(signalingTarget, apiKey);
    }

    static LocalStack start(String name, int streamers, int maxSessionsPerStreamer, Duration sessionGrace) throws Exception {
        // A free port for the browser-facing HTTP listener, so stacks never fight over the default 8080.
        return start(name, streamers, maxSessionsPerStreamer, sessionGrace, List.of("--http-port", "0"));
    }

    /** As above, with extra signaling arguments (HTTP listener, token, TURN...). */
    static LocalStack start(String name, int streamers, int maxSessionsPerStreamer, Duration sessionGrace,
                            List<String> signalingArgs) throws Exception {
        return start(name, streamers, maxSessionsPerStreamer, sessionGrace, signalingArgs, List.of());
    }

    /** As above, with extra arguments for every streamer (e.g. its test options). */
    static LocalStack start(String name, int streamers, int maxSessionsPerStreamer, Duration sessionGrace,
                            List<String> signalingArgs, List<String> streamerArgs) throws Exception {
        return start(name, streamers, maxSessionsPerStreamer, sessionGrace, signalingArgs, streamerArgs, List.of());
    }

    /** As above, with extra arguments for the renderer too (e.g. --log-format json on all three). */
    static LocalStack start(String name, int streamers, int maxSessionsPerStreamer, Duration sessionGrace,
                            List<String> signalingArgs, List<String> streamerArgs, List<String> rendererArgs)
            throws Exception {
        return start(name, streamers, maxSessionsPerStreamer, sessionGrace, signalingArgs, streamerArgs, rendererArgs,
                List.of());
    }

    /** As above, with extra JVM flags for the renderer (e.g. a small {@code -Xmx}). */
    static LocalStack start(String name, int streamers, int maxSessionsPerStreamer, Duration sessionGrace,
                            List<String> signalingArgs, List<String> streamerArgs, List<String> rendererArgs,
                            List<String> rendererJvmFlags)
            throws Exception {
        Path logs = Path.of("target", "it-logs", name);
        Path busRoot = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")), "facecast-bus-");
        Path tlsDir = Files.createTempDirectory("facecast-tls-");
        ClusterCa ca = ClusterCa.init(tlsDir);
        ca.issue(FleetRole.RENDERER, "renderer", ClusterCa.DEFAULT_VALIDITY, false);
        ca.issue(FleetRole.SIGNALING, "signaling", ClusterCa.DEFAULT_VALIDITY, false);
        for (int i = 1; i <= streamers; i++) {
            ca.issue(FleetRole.STREAMER, "streamer-" + i, ClusterCa.DEFAULT_VALIDITY, false);
        }
        List<String> rargs = new ArrayList<>(List.of("--port", "0",
                "--tls-dir", tlsDir.toString(), "--bus-root", busRoot.toString(),
                "--ops-port", "0")); // ops (metrics) listeners on free ports: stacks and streamers never collide
        rargs.addAll(rendererArgs);
        JvmProcess renderer = JvmProcess.start("renderer", "renderer", logs, rargs, rendererJvmFlags);
        String rendererAddr = renderer.awaitListening(START_TIMEOUT);
        List<String> args = new ArrayList<>(List.of("--port", "0", "--internal-port", "0", "--tls-dir", tlsDir.toString(),
                "--renderer", rendererAddr, "--session-grace", sessionGrace.toMillis() + "ms"));
        args.addAll(signalingArgs);
        // Auth on, as in production: signaling writes a fresh key file (0600) for this stack; limits loose enough
        // for every test unless the test sets its own.
        Path keyFile = logs.toAbsolutePath().resolve("api-key");
        boolean insecure = signalingArgs.contains("--insecure-no-auth");
        if (!insecure && !signalingArgs.contains("--api-key-file")) {
            Files.deleteIfExists(keyFile);
            args.addAll(List.of("--api-key-file", keyFile.toString()));
        }
        for (String[] limit : new String[][] {{"--key-session-quota", "64"}, {"--key-rate", "1000"}, {"--key-burst", "1000"}}) {
            if (!signalingArgs.contains(limit[0])) {
                args.addAll(List.of(limit));
            }
        }
        JvmProcess signaling = JvmProcess.start("signaling", "signaling", logs, args);
        String target = signaling.awaitListening(START_TIMEOUT);
        Path usedKeyFile = signalingArgs.contains("--api-key-file")
                ? Path.of(signalingArgs.get(signalingArgs.indexOf("--api-key-file") + 1)) : keyFile;
        String key = insecure ? null : io.facecast.client.ApiKeys.firstKey(usedKeyFile);
        LocalStack stack = new LocalStack(busRoot, tlsDir, renderer, signaling, target, key, insecure ? null : usedKeyFile);
        stack.rendererTarget = rendererAddr;
        stack.signalingInternal = signaling.awaitControlPlane(START_TIMEOUT);
        for (int i = 1; i <= streamers; i++) {
            List<String> sargs = new ArrayList<>(List.of("--port", "0",
                    "--id", "streamer-" + i, "--signaling", stack.signalingInternal, "--bus-root", busRoot.toString(),
                    "--tls-dir", tlsDir.toString(), "--max-sessions", Integer.toString(maxSessionsPerStreamer), "--ops-port", "0"));
            sargs.addAll(streamerArgs);
            JvmProcess s = JvmProcess.start("streamer-" + i, "streamer", logs, sargs);
            stack.streamers.add(s);
            stack.streamerControl.add(s.awaitListening(START_TIMEOUT));
        }
        if (streamers > 0) {
            stack.awaitStreamerRegistered();
        }
        return stack;
    }

    /** A channel to streamer {@code i}'s (from 1) control port as signaling: mutual TLS, the streamer's identity checked. */
    ManagedChannel streamerControlAsSignaling(int i) throws IOException {
        return FleetTls.load(tlsDir, FleetRole.SIGNALING, "signaling").channel(streamerControl.get(i - 1), FleetRole.STREAMER,
                "streamer-" + i);
    }

    /** Signaling answers UNAVAILABLE until a streamer registered; the stack is ready once a session can be made. */
    private void awaitStreamerRegistered() throws InterruptedException {
        try (FacecastClient client = client()) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    client.closeSession(client.createSession(CreateSessionRequest.getDefaultInstance()).getSessionId());
                    return;
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) throw e;
                    Thread.sleep(200); // waiting for another process to come up: nothing to inject a clock into
                }
            }
        }
        throw new IllegalStateException("no streamer registered with signaling:\n" + logs());
    }

    /**
     * Bytes the bus root really occupies (all streamers' queues), as {@code du} counts them: Chronicle's cycle files
     * are sparse, so their length overstates what they hold.
     */
    long busBytes() throws IOException {
        Process du = new ProcessBuilder("du", "-sk", busRoot.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        try {
            du.waitFor();
            return Long.parseLong(out.split("\\s+")[0]) * 1024;
        } catch (InterruptedException | NumberFormatException e) {
            throw new IOException("du failed: " + out, e);
        }
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        for (JvmProcess p : all()) {
            sb.append("---- ").append(p.log()).append('\n').append(p.tail()).append('\n');
        }
        return sb.toString();
    }

    List<JvmProcess> all() {
        List<JvmProcess> all = new ArrayList<>(streamers);
        all.add(signaling);
        all.add(renderer);
        return all;
    }

    @Override
    public void close() throws Exception {
        for (JvmProcess p : all()) {
            p.close();
        }
        for (Path dir : List.of(busRoot, tlsDir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
