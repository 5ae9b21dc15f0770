package io.facecast.signaling;

import io.facecast.api.v1.IceServer;
import io.facecast.signaling.relay.QueuedEventSink;
import java.time.Duration;
import java.util.List;

/**
 * Everything the signaling process is told from outside. Built by {@link SignalingMain} from the command line and by
 * tests directly.
 *
 * @param rendererAddress   host:port of the renderer's RendererControl service
 * @param iceServers        handed to every client and streamer; empty on loopback
 * @param sessionGrace      how long a session may have neither an event watcher nor a connected peer before it is reaped
 * @param heartbeatInterval the heartbeat period streamers are told to keep; three missed periods mean the streamer is dead
 * @param controlDeadline   deadline for a control call to the renderer or a streamer
 * @param eventQueueCapacity events a watcher (SSE or gRPC WatchEvents) may have unwritten before it is cut as fallen
 *                          behind
 */
public record SignalingConfig(
    String host,
    int port,
    String rendererAddress,
    List<IceServer> iceServers,
    Duration sessionGrace,
    Duration heartbeatInterval,
    Duration controlDeadline,
    int eventQueueCapacity) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 50051;
  public static final String DEFAULT_RENDERER = "127.0.0.1:50061";
  public static final Duration DEFAULT_SESSION_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(1000);
  public static final Duration DEFAULT_CONTROL_DEADLINE = Duration.ofSeconds(10);

  /** A streamer is declared dead after this many heartbeat intervals without one. */
  public static final int MISSED_HEARTBEATS_BEFORE_DEAD = 3;

  public SignalingConfig {
    iceServers = List.copyOf(iceServers);
    if (eventQueueCapacity < 1) {
      throw new IllegalArgumentException("the event queue capacity must be at least 1, not " + eventQueueCapacity);
    }
  }

  /** With the default event queue capacity. */
  public SignalingConfig(String host, int port, String rendererAddress, List<IceServer> iceServers, Duration sessionGrace,
                         Duration heartbeatInterval, Duration controlDeadline) {
    this(host, port, rendererAddress, iceServers, sessionGrace, heartbeatInterval, controlDeadline,
        QueuedEventSink.DEFAULT_CAPACITY);
  }

  public static SignalingConfig defaults() {
    return new SignalingConfig(
        DEFAULT_HOST, DEFAULT_PORT, DEFAULT_RENDERER, List.of(), DEFAULT_SESSION_GRACE,
        DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_CONTROL_DEADLINE);
  }

  public Duration streamerTimeout() {
    return heartbeatInterval.multipliedBy(MISSED_HEARTBEATS_BEFORE_DEAD);
  }

  public SignalingConfig withPort(int newPort) {
    return new SignalingConfig(host, newPort, rendererAddress, iceServers, sessionGrace, heartbeatInterval, controlDeadline, eventQueueCapacity);
  }

  public SignalingConfig withSessionGrace(Duration grace) {
    return new SignalingConfig(host, port, rendererAddress, iceServers, grace, heartbeatInterval, controlDeadline, eventQueueCapacity);
  }

  public SignalingConfig withRendererAddress(String address) {
    return new SignalingConfig(host, port, address, iceServers, sessionGrace, heartbeatInterval, controlDeadline, eventQueueCapacity);
  }
}
