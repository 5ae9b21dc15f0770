package io.facecast.streamer;

import io.facecast.rtc.SenderOptions;
import io.facecast.streamer.schedule.SchedulerConfig;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one streamer process runs: its flags, in one record (StreamerMain parses them, {@link StreamerModule} wires
 * the process from it).
 *
 * @param signalingAddress signaling's internal address, or several replicas' separated by commas (tried in order,
 *                         see {@link io.facecast.streamer.registration.SignalingRegistration})
 * @param busRoot          the bus root shared with the renderer; this streamer tails {@code busRoot/id}
 * @param nodeId           the node (one host: one renderer and its streamers on one bus root) it belongs to;
 *                         defaults to {@code id}
 * @param rendererAddress  host:port of its node's renderer control port, sent with its registration; empty means
 *                         signaling's default renderer (the single-host layout)
 * @param opsPort          the ops HTTP listener (/metrics, /healthz, /readyz, POST /drain); -1 off, 0 a free port
 * @param drainTimeout     how long live sessions may play on after SIGTERM before they are closed
 * @param scheduler        the pacing scheduler's tunables
 * @param sender           every session's WebRTC sender tuning (video codec, bitrate bounds; docs/performance.md)
 */
public record StreamerConfig(String id, String host, int port, String signalingAddress, Path busRoot, int maxSessions,
                             String nodeId, String rendererAddress, int opsPort, Duration drainTimeout,
                             SchedulerConfig scheduler, SenderOptions sender) {
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(30);

    public StreamerConfig {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("--max-sessions must be at least 1");
        }
        nodeId = nodeId == null || nodeId.isBlank() ? id : nodeId;
        rendererAddress = rendererAddress == null ? "" : rendererAddress;
        sender = sender == null ? SenderOptions.defaults() : sender;
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("--drain-timeout must not be negative");
        }
    }

    /** The single-host layout: a node of its own, signaling's default renderer, no ops listener, default drain. */
    public StreamerConfig(String id, String host, int port, String signalingAddress, Path busRoot, int maxSessions) {
        this(id, host, port, signalingAddress, busRoot, maxSessions, id, "", -1, DEFAULT_DRAIN_TIMEOUT,
                SchedulerConfig.defaults(), SenderOptions.defaults());
    }

    public StreamerConfig withScheduler(SchedulerConfig s) {
        return new StreamerConfig(id, host, port, signalingAddress, busRoot, maxSessions, nodeId, rendererAddress,
                opsPort, drainTimeout, s, sender);
    }

    public StreamerConfig withSender(SenderOptions o) {
        return new StreamerConfig(id, host, port, signalingAddress, busRoot, maxSessions, nodeId, rendererAddress,
                opsPort, drainTimeout, scheduler, o);
    }

    /** The signaling replicas to register with, in order ({@code signalingAddress} may list several, comma-separated). */
    public java.util.List<String> signalingAddresses() {
        return io.facecast.streamer.registration.SignalingAddresses.parse(signalingAddress);
    }

    public Path busPath() {
        return busRoot.resolve(id).toAbsolutePath();
    }

    public String advertisedAddress(int boundPort) {
        return host + ":" + boundPort;
    }
}
