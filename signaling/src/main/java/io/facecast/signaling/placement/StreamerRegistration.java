package io.facecast.signaling.placement;

import io.facecast.security.FleetIdentity;
import io.facecast.signaling.backend.StreamerBackend;

/**
 * One registration of one streamer. A streamer that registers again gets a new registration object, so anything
 * holding the old one (sessions, the event pump) can tell it is stale. The session count is signaling's own
 * accounting of the sessions it placed here, which is what placement must respect.
 */
public final class StreamerRegistration {

    private final String streamerId;
    private final String controlAddress;
    private final String busPath;
    private final int maxSessions;
    private final StreamerBackend backend;
    private final FleetIdentity owner;
    private volatile long lastHeartbeatNanos;
    private volatile int reportedSessions;
    // Guarded by the StreamerRegistry's lock.
    private int sessions;

    public StreamerRegistration(
            String streamerId, String controlAddress, String busPath, int maxSessions, StreamerBackend backend, long nowNanos) {
        this(streamerId, controlAddress, busPath, maxSessions, backend, nowNanos, null);
    }

    /** @param owner the certificate identity that made this registration; only it may heartbeat or replace it */
    public StreamerRegistration(String streamerId, String controlAddress, String busPath, int maxSessions,
                                StreamerBackend backend, long nowNanos, FleetIdentity owner) {
        this.owner = owner;
        this.streamerId = streamerId;
        this.controlAddress = controlAddress;
        this.busPath = busPath;
        this.maxSessions = maxSessions;
        this.backend = backend;
        this.lastHeartbeatNanos = nowNanos;
    }

    public String streamerId() {
        return streamerId;
    }

    public String controlAddress() {
        return controlAddress;
    }

    public String busPath() {
        return busPath;
    }

    public int maxSessions() {
        return maxSessions;
    }

    /** The certificate identity that registered (null in tests that build registrations by hand). */
    public FleetIdentity owner() {
        return owner;
    }

    public StreamerBackend backend() {
        return backend;
    }

    long lastHeartbeatNanos() {
        return lastHeartbeatNanos;
    }

    void heartbeat(long nowNanos, int activeSessions) {
        lastHeartbeatNanos = nowNanos;
        reportedSessions = activeSessions;
    }

    /** What the streamer itself last said it holds; informational (placement uses signaling's own count). */
    public int reportedSessions() {
        return reportedSessions;
    }

    int sessions() {
        return sessions;
    }

    void addSession() {
        sessions++;
    }

    void removeSession() {
        if (sessions > 0) {
            sessions--;
        }
    }

    @Override
    public String toString() {
        return "streamer " + streamerId + " at " + controlAddress;
    }
}
