package io.facecast.signaling;

import io.facecast.ops.log.LogFormat;
import com.google.inject.Guice;
import io.facecast.signaling.auth.AccessTokens;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.ApiKeyFile;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.http.HttpOptions;
import io.facecast.signaling.ice.IceOptions;
import io.facecast.api.v1.IceServer;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.facecast.security.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the signaling process: the public Facecast API and the streamer registry. */
@Command(name = "facecast-signaling", mixinStandardHelpOptions = true,
        description = "Facecast signaling: public gRPC API, session placement, SDP/ICE brokering.")
public final class SignalingMain implements Callable<Integer> {

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = SignalingConfig.DEFAULT_HOST;

    @Option(names = "--port", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = SignalingConfig.DEFAULT_PORT;

    @Option(names = "--renderer", description = "host:port of the renderer's control service (default: ${DEFAULT-VALUE}).")
    String renderer = SignalingConfig.DEFAULT_RENDERER;

    @Option(names = "--ice-server", paramLabel = "URL",
            description = "ICE server handed to clients and streamers, repeatable: stun:host:port or "
                    + "turn:host:port?transport=udp,user,credential. Default: none (loopback needs none).")
    List<String> iceServers = new ArrayList<>();

    @Option(names = "--session-grace", paramLabel = "DURATION",
            description = "How long a session may have no event stream and no connected peer before it is closed, "
                    + "e.g. 30 (seconds), 30s, 500ms or PT30S (default: 30).")
    String sessionGrace = "30";

    @Option(names = "--heartbeat-interval-ms",
            description = "Heartbeat period streamers are told to keep; 3 missed mean dead (default: ${DEFAULT-VALUE}).")
    long heartbeatIntervalMs = SignalingConfig.DEFAULT_HEARTBEAT_INTERVAL.toMillis();

    @Option(names = "--http-port",
            description = "Port of the browser-facing HTTP listener (WHEP, JSON API, demo page); 0 picks a free one, "
                    + "-1 turns it off (default: ${DEFAULT-VALUE}).")
    int httpPort = HttpOptions.DEFAULT_PORT;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "API keys the public API (gRPC and HTTP) accepts, one per line; created with one new key "
                    + "(mode 0600) if missing. Default: $FACECAST_HOME/api-key or ~/.facecast/api-key. The key in "
                    + "the environment variable FACECAST_API_KEY is accepted too.")
    Path apiKeyFile;

    @Option(names = "--insecure-no-auth",
            description = "Accept every public call without a credential (tests, trusted networks only).")
    boolean insecureNoAuth;

    @Option(names = "--key-session-quota", paramLabel = "N",
            description = "Open sessions per API key (default: ${DEFAULT-VALUE}).")
    int keySessionQuota = AuthOptions.DEFAULT_SESSION_QUOTA;

    @Option(names = "--key-rate", paramLabel = "PER_SECOND",
            description = "Requests per second per API key, gRPC and HTTP together (default: ${DEFAULT-VALUE}).")
    double keyRate = AuthOptions.DEFAULT_REQUESTS_PER_SECOND;

    @Option(names = "--key-burst", paramLabel = "N",
            description = "Requests an API key may make at once (default: ${DEFAULT-VALUE}).")
    int keyBurst = AuthOptions.DEFAULT_BURST;

    @Option(names = "--session-token-ttl", paramLabel = "DURATION",
            description = "Lifetime of the session token CreateSession returns; the session's TURN credentials "
                    + "expire with it (default: 60m).")
    String sessionTokenTtl = "60m";

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "The one other origin whose pages may call the HTTP API (Access-Control-Allow-Origin); "
                    + "default: none (CORS closed).")
    String corsOrigin = "";

    @Option(names = "--turn-url", paramLabel = "URL",
            description = "TURN server that gets time-limited REST credentials per session (coturn use-auth-secret), "
                    + "repeatable, e.g. turn:turn.example.com:3478?transport=udp. Needs --turn-secret.")
    List<String> turnUrls = new ArrayList<>();

    @Option(names = "--turn-secret", paramLabel = "SECRET",
            description = "The TURN server's static-auth-secret. Prefer the environment variable FACECAST_TURN_SECRET.")
    String turnSecret = System.getenv().getOrDefault("FACECAST_TURN_SECRET", "");

    @Option(names = "--turn-ttl", paramLabel = "DURATION",
            description = "Lifetime of a session's TURN credentials, e.g. 60m or 3600s (default: 60m).")
    String turnTtl = "60m";

    @Option(names = "--ice-transport-policy", paramLabel = "all|relay",
            description = "relay: streamers gather TURN candidates only (media always through TURN); default: ${DEFAULT-VALUE}.")
    String iceTransportPolicy = "all";

    @Option(names = "--internal-host",
            description = "Address of the internal control plane (the streamers' registry, mutual TLS); keep it on "
                    + "loopback or a private network (default: ${DEFAULT-VALUE}).")
    String internalHost = InternalPlane.DEFAULT_HOST;

    @Option(names = "--internal-port",
            description = "Port of the internal control plane; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int internalPort = InternalPlane.DEFAULT_PORT;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "The internal plane's TLS material: DIR/ca.crt and DIR/<id>.crt|key "
                    + "(facecast certs init|issue). Default: $FACECAST_TLS_DIR, else ~/.facecast/tls.")
    Path tlsDir = TlsFiles.defaultDir();

    @Option(names = "--id", description = "Signaling's fleet id, the identity in its certificate (default: ${DEFAULT-VALUE}).")
    String id = InternalPlane.DEFAULT_ID;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as text, or as one JSON object"
            + " each (time, level, logger, thread, message, exception, MDC incl. session_id). Default:"
            + " $FACECAST_LOG_FORMAT, else text.")
    String logFormat;

    @Option(names = "--event-queue-capacity", paramLabel = "N",
            description = "Events a watcher (SSE or gRPC WatchEvents) may have unwritten before it is cut as fallen"
                    + " behind (default: ${DEFAULT-VALUE}).")
    int eventQueueCapacity = io.facecast.signaling.relay.QueuedEventSink.DEFAULT_CAPACITY;

    @Option(names = "--registry", paramLabel = "memory|redis://HOST:PORT",
            description = "Where the fleet state (streamers, slots, sessions, events) lives: memory (one replica, the "
                    + "default) or a Redis that several signaling replicas share (docs/fleet.md).")
    String registry = io.facecast.signaling.fleet.FleetOptions.MEMORY;

    @Option(names = "--placement-threshold", paramLabel = "LOAD",
            description = "A streamer reporting a CPU load (its share of its machine, averaged) above this (0..1] takes no new sessions; its --max-sessions caps the sessions (default: ${DEFAULT-VALUE}).")
    double placementThreshold = io.facecast.signaling.fleet.FleetOptions.DEFAULT_PLACEMENT_THRESHOLD;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // "certs ...": the cluster CA tool from the signaling image too (docker-compose's one-shot certs service).
        System.exit(args.length > 0 && args[0].equals("certs")
                ? io.facecast.security.CertsCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length))
                : new CommandLine(new SignalingMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            LogFormat.apply(logFormat); // before the first logger: slf4j binds its provider then
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (eventQueueCapacity < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--event-queue-capacity must be at least 1");
        }
        SignalingConfig config = toConfig();
        InternalPlane internal = internalPlane();
        AuthOptions auth = authOptions();
        io.facecast.signaling.fleet.FleetOptions fleet;
        try {
            fleet = new io.facecast.signaling.fleet.FleetOptions(registry, placementThreshold);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SignalingServer server;
        try {
            server = Guice.createInjector(new SignalingModule(config, httpOptions(), iceOptions(), internal,
                            auth).withFleet(fleet))
                    .getInstance(SignalingServer.class)
                    .start();
        } catch (com.google.inject.ProvisionException e) {
            // e.g. the Redis of --registry is not reachable: one line that says so, not a stack trace.
            if (e.getCause() instanceof IllegalArgumentException reason) {
                System.err.println("signaling: " + reason.getMessage());
                return 1;
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "signaling-shutdown"));
        System.out.println("signaling listening on " + config.host() + ":" + server.port());
        // Worded so it never matches "listening on" (the public address); launchers read it for --signaling.
        System.out.println("signaling control plane on " + internal.host() + ":" + server.internalPort()
                + " (mutual TLS, as " + internal.tls().self() + ")");
        // A log line, not an announcement: with --log-format json every line but the announcements is JSON.
        LoggerFactory.getLogger(SignalingMain.class).info("fleet state: {}",
                fleet.inMemory() ? "in memory (one replica)" : registry);
        System.out.println(auth.enabled()
                ? "public API auth: on, " + auth.keys().size() + " API key(s) from " + keySource
                : "public API auth: OFF (--insecure-no-auth): anyone who reaches the ports controls every session");
        if (server.http().baseUrl() != null) {
            // Worded so it never matches "listening on": launchers read the gRPC address from that line.
            System.out.println("demo page: " + server.http().baseUrl() + "  (WHEP endpoint: " + server.http().baseUrl()
                    + "whep)");
        }
        System.out.flush();
        server.awaitTermination();
        return 0;
    }

    SignalingConfig toConfig() {
        List<IceServer> servers = new ArrayList<>();
        for (String value : iceServers) {
            try {
                servers.add(IceServerOption.parse(value));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        Duration grace = parseDuration("--session-grace", sessionGrace);
        if (heartbeatIntervalMs <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--heartbeat-interval-ms must be positive");
        }
        return new SignalingConfig(host, port, renderer, servers, grace, Duration.ofMillis(heartbeatIntervalMs),
                SignalingConfig.DEFAULT_CONTROL_DEADLINE, eventQueueCapacity);
    }

    IceOptions iceOptions() {
        if (!iceTransportPolicy.equals("all") && !iceTransportPolicy.equals("relay")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ice-transport-policy '" + iceTransportPolicy + "' must be all or relay");
        }
        for (String url : turnUrls) {
            if (!url.startsWith("turn:") && !url.startsWith("turns:")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--turn-url '" + url + "' must start with turn: or turns:");
            }
        }
        if (!turnUrls.isEmpty() && turnSecret.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--turn-url needs the TURN server's shared secret: --turn-secret or FACECAST_TURN_SECRET");
        }
        boolean relay = iceTransportPolicy.equals("relay");
        if (relay && turnUrls.isEmpty() && iceServers.stream().noneMatch(s -> s.startsWith("turn"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ice-transport-policy relay needs a TURN server (--turn-url or a turn: --ice-server)");
        }
        return new IceOptions(turnUrls, turnSecret, parseDuration("--turn-ttl", turnTtl), relay);
    }

    InternalPlane internalPlane() {
        try {
            return new InternalPlane(internalHost, internalPort, FleetTls.load(tlsDir, FleetRole.SIGNALING, id));
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "internal control plane: " + e.getMessage());
        }
    }

    HttpOptions httpOptions() {
        return new HttpOptions(host, httpPort < 0 ? -1 : httpPort, corsOrigin);
    }

    private String keySource = "";

    AuthOptions authOptions() throws java.io.IOException {
        if (keySessionQuota < 1 || keyRate <= 0 || keyBurst < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--key-session-quota and --key-burst must be at least 1, --key-rate positive");
        }
        Duration tokenTtl = parseDuration("--session-token-ttl", sessionTokenTtl);
        if (tokenTtl.compareTo(AccessTokens.MAX_TTL) > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--session-token-ttl is at most 24h");
        }
        if (insecureNoAuth) {
            return AuthOptions.insecure().withLimits(keySessionQuota, keyRate, keyBurst).withSessionTokenTtl(tokenTtl);
        }
        List<ApiKey> keys = new ArrayList<>();
        String fromEnv = System.getenv("FACECAST_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                keys.add(ApiKey.parse(fromEnv));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "FACECAST_API_KEY: " + e.getMessage());
            }
            keySource = "FACECAST_API_KEY";
        }
        if (apiKeyFile != null || keys.isEmpty()) {
            Path file = apiKeyFile != null ? apiKeyFile : ApiKeyFile.defaultPath();
            keys.addAll(ApiKeyFile.loadOrCreate(file, new SecureRandom()));
            keySource = keySource.isEmpty() ? file.toString() : keySource + " and " + file;
        }
        return AuthOptions.withKeys(keys).withLimits(keySessionQuota, keyRate, keyBurst).withSessionTokenTtl(tokenTtl);
    }

    private Duration parseDuration(String option, String value) {
        Duration duration = DurationOption.parse(value);
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " '" + value + "' is not a positive duration; use e.g. 30, 30s, 500ms or PT30S");
        }
        return duration;
    }
}
