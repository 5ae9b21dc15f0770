package io.facecast.signaling.session;

import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.security.FleetIdentity;
import io.facecast.security.FleetRole;
import io.facecast.signaling.backend.StreamerBackend;
import io.facecast.signaling.backend.StreamerBackendFactory;
import io.facecast.signaling.placement.StreamerRegistration;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.relay.StreamerEventPump;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streamers joining, staying and leaving: registration opens the control channel and the one event stream per
 * streamer; a re-registration or a missed heartbeat deadline closes what the old registration hosted.
 */
public final class StreamerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamerLifecycle.class);
    private static final Duration EVENT_STREAM_RECONNECT_DELAY = Duration.ofMillis(500);
    /** A host name, an IPv4 address or a bracketed IPv6 address; no scheme, path or user part. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]");

    private final StreamerRegistry registry;
    private final SessionManager sessions;
    private final StreamerBackendFactory backends;
    private final ScheduledExecutorService scheduler;
    private final Duration heartbeatInterval;
    private final Duration timeout;
    private final Map<StreamerRegistration, StreamerEventPump> pumps = new ConcurrentHashMap<>();

    public StreamerLifecycle(
            StreamerRegistry registry,
            SessionManager sessions,
            StreamerBackendFactory backends,
            ScheduledExecutorService scheduler,
            Duration heartbeatInterval,
            Duration timeout) {
        this.registry = registry;
        this.sessions = sessions;
        this.backends = backends;
        this.scheduler = scheduler;
        this.heartbeatInterval = heartbeatInterval;
        this.timeout = timeout;
        // Streamers registered with another replica: a channel each when a call needs them; one whose replica is gone
        // is asked directly before it is declared dead (it is orphaned, not dead, and will register again).
        registry.connectViewsWith(backends, record -> {
            StreamerBackend probe = backends.connect(record.streamerId(), record.controlAddress());
            try {
                return probe.answers(PROBE_DEADLINE);
            } finally {
                probe.shutdown();
            }
        });
    }

    private static final Duration PROBE_DEADLINE = Duration.ofMillis(800);

    /** As {@link #register(RegisterStreamerRequest, FleetIdentity)} without a caller identity: for unit tests. */
    public Duration register(RegisterStreamerRequest request) {
        return register(request, null);
    }

    /**
     * @param caller the certificate identity of the caller (the Registry's gate checked its role); a streamer
     *               registers only as the id its certificate names
     * @return the heartbeat interval the streamer must keep
     */
    public Duration register(RegisterStreamerRequest request, FleetIdentity caller) {
        String id = request.getStreamerId().strip();
        if (id.isEmpty()) {
            throw invalid("streamer_id is empty");
        }
        requireSelf(caller, id);
        String address = request.getControlAddress().strip();
        if (!looksLikeHostPort(address)) {
            throw invalid("control_address '" + request.getControlAddress() + "' is not host:port");
        }
        if (request.getBusPath().isBlank()) {
            throw invalid("bus_path is empty; the renderer needs the streamer's queue directory");
        }
        if (request.getMaxSessions() == 0) {
            throw invalid("max_sessions is 0; a streamer must accept at least one session");
        }
        String rendererAddress = request.getRendererAddress().strip();
        if (!rendererAddress.isEmpty() && !looksLikeHostPort(rendererAddress)) {
            throw invalid("renderer_address '" + request.getRendererAddress() + "' is not host:port (leave it empty "
                    + "for signaling's default renderer)");
        }
        StreamerBackend backend = backends.connect(id, address);
        StreamerRegistration registration = new StreamerRegistration(id, request.getNodeId().strip(), address,
                rendererAddress, request.getBusPath(), request.getMaxSessions(), backend, registry.now(), caller,
                java.util.UUID.randomUUID().toString());
        Optional<StreamerRegistration> replaced;
        try {
            replaced = registry.register(registration);
        } catch (RuntimeException refused) {
            backend.shutdown();
            log.warn("refused registration of streamer {} by {}: {}", id, caller, refused.getMessage());
            throw refused;
        }
        replaced.ifPresent(this::letGo);
        // Sessions it still holds that the fleet knows go on; the ones nobody knows are closed on the streamer.
        List<String> unknown = sessions.adopt(registration, request.getLiveSessionsList());
        for (String sessionId : unknown) {
            log.info("{} holds session {}, which no replica knows; closing it there", registration, sessionId);
            scheduler.execute(() -> {
                try {
                    backend.closeSession(sessionId);
                } catch (RuntimeException e) {
                    log.warn("could not close unknown session {} on {}: {}", sessionId, registration, e.getMessage());
                }
            });
        }
        StreamerEventPump pump = new StreamerEventPump(
                backend,
                event -> sessions.onStreamerEvent(registration, event),
                () -> registry.isCurrent(registration),
                scheduler,
                EVENT_STREAM_RECONNECT_DELAY);
        pumps.put(registration, pump);
        pump.start();
        log.info("{} registered: node {}, renderer {}, bus {}, up to {} sessions, {} live ({} unknown, closed)",
                registration, registration.nodeId(),
                registration.rendererAddress().isEmpty() ? "(default)" : registration.rendererAddress(),
                registration.busPath(), registration.maxSessions(), request.getLiveSessionsCount(), unknown.size());
        return heartbeatInterval;
    }

    /** @return false when the streamer is unknown here and must register again */
    public boolean heartbeat(String streamerId, int activeSessions) {
        return registry.heartbeat(streamerId, activeSessions);
    }

    /**
     * A heartbeat counts only for the registration the caller's own certificate made.
     *
     * @return false when the streamer is unknown here (under this certificate) and must register again
     */
    public boolean heartbeat(String streamerId, FleetIdentity caller, int activeSessions) {
        requireSelf(caller, streamerId);
        return registry.heartbeat(streamerId, caller, activeSessions);
    }

    /** As above, with the state (SERVING/DRAINING) and load (0..1) the streamer reports. */
    public boolean heartbeat(String streamerId, FleetIdentity caller, int activeSessions,
                             io.facecast.internal.v1.NodeState state, float load) {
        requireSelf(caller, streamerId);
        if (!(load >= 0 && load <= 1)) {
            throw invalid("load " + load + " is not within 0..1");
        }
        return registry.heartbeat(streamerId, caller, activeSessions,
                io.facecast.signaling.fleet.StreamerState.of(state), load);
    }

    private static void requireSelf(FleetIdentity caller, String streamerId) {
        if (caller != null && !caller.is(FleetRole.STREAMER, streamerId)) {
            throw Status.PERMISSION_DENIED.withDescription("the caller's certificate is " + caller
                    + "; it may register and heartbeat only as streamer '" + caller.id() + "', not '" + streamerId + "'")
                    .asRuntimeException();
        }
    }

    /** Declares streamers without a recent heartbeat dead and closes their sessions. */
    public List<StreamerRegistration> expireDead() {
        List<StreamerRegistration> dead = registry.expire();
        for (StreamerRegistration registration : dead) {
            log.warn("{} lost: no heartbeat for over {} ms", registration, timeout.toMillis());
            retire(registration, "streamer lost",
                    registration + " stopped sending heartbeats (over " + timeout.toMillis() + " ms); its media is "
                            + "gone: create a new session");
        }
        for (StreamerRegistration gone : registry.dropSuperseded()) {
            log.info("{} is no longer registered here (declared dead elsewhere, or registered with another replica)", gone);
            letGo(gone);
            sessions.followStreamer(gone.streamerId());
        }
        return dead;
    }

    /** Frees slots whose create was cut off (see {@link StreamerRegistry#freeStrandedSlots()}). */
    public int freeStrandedSlots() {
        return registry.freeStrandedSlots();
    }

    /** Stops this replica's event pump and channel of a registration, leaving its sessions alone. */
    private void letGo(StreamerRegistration registration) {
        StreamerEventPump pump = pumps.remove(registration);
        if (pump != null) {
            pump.stop();
        }
        if (registration.backend() != null) {
            registration.backend().shutdown();
        }
    }

    /** Renderer address (empty: default) -> the streamers registered here on that node's renderer. */
    public java.util.Map<String, List<String>> streamersByRenderer() {
        java.util.Map<String, List<String>> byRenderer = new java.util.HashMap<>();
        for (StreamerRegistration registration : registry.registeredHere()) {
            byRenderer.computeIfAbsent(registration.rendererAddress(), k -> new java.util.ArrayList<>())
                    .add(registration.streamerId());
        }
        return byRenderer;
    }

    public io.facecast.signaling.fleet.FleetState fleet() {
        return registry.fleet();
    }

    /** Writes the records of the streamers registered here back (the shared store lost its data). */
    public void rewriteRecords() {
        registry.rewriteRecords();
    }

    /** Stops every event stream and channel; for shutdown. */
    public void shutdown() {
        pumps.forEach((registration, pump) -> {
            pump.stop();
            registration.backend().shutdown();
        });
        pumps.clear();
        registry.shutdownViews();
    }

    private void retire(StreamerRegistration registration, String reason, String errorMessage) {
        StreamerEventPump pump = pumps.remove(registration);
        if (pump != null) {
            pump.stop();
        }
        sessions.closeSessionsOn(registration, reason, errorMessage);
        if (registration.backend() != null) {
            registration.backend().shutdown();
        }
    }

    private static boolean looksLikeHostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1 || !HOST.matcher(address.substring(0, colon)).matches()) {
            return false;
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            return port > 0 && port < 65536;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
