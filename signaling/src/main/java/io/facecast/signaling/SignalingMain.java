package io.facecast.signaling;

import com.google.inject.Guice;
import io.facecast.api.v1.IceServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SignalingMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    SignalingConfig config = toConfig();
    SignalingServer server = Guice.createInjector(new SignalingModule(config))
        .getInstance(SignalingServer.class)
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "signaling-shutdown"));
    System.out.println("signaling listening on " + config.host() + ":" + server.port());
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
        SignalingConfig.DEFAULT_CONTROL_DEADLINE);
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
