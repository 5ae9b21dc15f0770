package io.facecast.signaling.session;

import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.signaling.backend.StreamerBackend;
import io.facecast.signaling.backend.StreamerBackendFactory;
import io.facecast.signaling.placement.StreamerRegistration;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.relay.StreamerEventPump;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streamers joining, staying and leaving: registration opens the control channel and the one event stream per
 * streamer; a re-registration or a missed heartbeat deadline closes what the old registration hosted.
 */
public final class StreamerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamerLifecycle.class);
    private static final Duration EVENT_STREAM_RECONNECT_DELAY = Duration.ofMillis(500);

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
    }

    /** @return the heartbeat interval the streamer must keep */
    public Duration register(RegisterStreamerRequest request) {
        String id = request.getStreamerId().strip();
        if (id.isEmpty()) {
            throw invalid("streamer_id is empty");
        }
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
        StreamerBackend backend = backends.connect(id, address);
        StreamerRegistration registration = new StreamerRegistration(
                id, address, request.getBusPath(), request.getMaxSessions(), backend, registry.now());
        registry.register(registration).ifPresent(old -> retire(old, "streamer re-registered",
                old + " registered again (restarted?); its earlier sessions are gone"));
        StreamerEventPump pump = new StreamerEventPump(
                backend,
                event -> sessions.onStreamerEvent(registration, event),
                () -> registry.isCurrent(registration),
                scheduler,
                EVENT_STREAM_RECONNECT_DELAY);
        pumps.put(registration, pump);
        pump.start();
        log.info("{} registered: bus {}, up to {} sessions", registration, registration.busPath(), registration.maxSessions());
        return heartbeatInterval;
    }

    /** @return false when the streamer is unknown here and must register again */
    public boolean heartbeat(String streamerId, int activeSessions) {
        return registry.heartbeat(streamerId, activeSessions);
    }

    /** Declares streamers without a recent heartbeat dead and closes their sessions. */
    public List<StreamerRegistration> expireDead() {
        List<StreamerRegistration> dead = registry.expire();
        for (StreamerRegistration registration : dead) {
            log.warn("{} lost: no heartbeat for over {} ms", registration, timeout.toMillis());
            retire(registration, "streamer lost",
                    registration + " stopped sending heartbeats (over " + timeout.toMillis() + " ms)");
        }
        return dead;
    }

    /** Stops every event stream and channel; for shutdown. */
    public void shutdown() {
        pumps.forEach((registration, pump) -> {
            pump.stop();
            registration.backend().shutdown();
        });
        pumps.clear();
    }

    private void retire(StreamerRegistration registration, String reason, String errorMessage) {
        StreamerEventPump pump = pumps.remove(registration);
        if (pump != null) {
            pump.stop();
        }
        sessions.closeSessionsOn(registration, reason, errorMessage);
        registration.backend().shutdown();
    }

    private static boolean looksLikeHostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
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
