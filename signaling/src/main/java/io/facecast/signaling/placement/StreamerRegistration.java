package io.facecast.signaling.placement;

import io.facecast.security.FleetIdentity;
import io.facecast.signaling.backend.StreamerBackend;
import io.facecast.signaling.fleet.StreamerRecord;
import io.facecast.signaling.fleet.StreamerState;
import java.util.UUID;

/**
 * One registration of one streamer. A streamer that registers again gets a new registration object (and a new
 * registration id in the fleet state), so anything holding the old one (sessions, the event pump) can tell it is
 * stale. A replica also holds views of streamers registered with another replica: same shape, their own channel,
 * no owner and no event pump here.
 */
public final class StreamerRegistration {

    private final String streamerId;
    private final String nodeId;
    private final String controlAddress;
    private final String rendererAddress;
    private final String busPath;
    private final int maxSessions;
    private final StreamerBackend backend;
    private final FleetIdentity owner;
    private final String registrationId;
    private volatile long lastHeartbeatNanos;
    private volatile int reportedSessions;
    private volatile StreamerState state = StreamerState.SERVING;
    private volatile double load;

    public StreamerRegistration(
            String streamerId, String controlAddress, String busPath, int maxSessions, StreamerBackend backend, long nowNanos) {
        this(streamerId, controlAddress, busPath, maxSessions, backend, nowNanos, null);
    }

    /** @param owner the certificate identity that made this registration; only it may heartbeat or replace it */
    public StreamerRegistration(String streamerId, String controlAddress, String busPath, int maxSessions,
                                StreamerBackend backend, long nowNanos, FleetIdentity owner) {
        this(streamerId, streamerId, controlAddress, "", busPath, maxSessions, backend, nowNanos, owner,
                UUID.randomUUID().toString());
    }

    /**
     * @param nodeId          the node this streamer belongs to (empty: its own id)
     * @param rendererAddress the node's renderer (empty: signaling's default renderer)
     */
    public StreamerRegistration(String streamerId, String nodeId, String controlAddress, String rendererAddress,
                                String busPath, int maxSessions, StreamerBackend backend, long nowNanos,
                                FleetIdentity owner, String registrationId) {
        this.owner = owner;
        this.streamerId = streamerId;
        this.nodeId = nodeId == null || nodeId.isBlank() ? streamerId : nodeId;
        this.controlAddress = controlAddress;
        this.rendererAddress = rendererAddress == null ? "" : rendererAddress;
        this.busPath = busPath;
        this.maxSessions = maxSessions;
        this.backend = backend;
        this.lastHeartbeatNanos = nowNanos;
        this.registrationId = registrationId;
    }

    /** A view of a streamer registered with another replica. */
    static StreamerRegistration view(StreamerRecord record, StreamerBackend backend, long nowNanos) {
        StreamerRegistration view = new StreamerRegistration(record.streamerId(), record.nodeId(),
                record.controlAddress(), record.rendererAddress(), record.busPath(), record.maxSessions(), backend,
                nowNanos, null, record.registrationId());
        view.state = record.state();
        view.load = record.load();
        return view;
    }

    StreamerRecord toRecord(long nowMillis, String replicaId) {
        return new StreamerRecord(streamerId, nodeId, controlAddress, rendererAddress, busPath, maxSessions, state,
                load, nowMillis, registrationId, replicaId);
    }

    public String streamerId() {
        return streamerId;
    }

    public String nodeId() {
        return nodeId;
    }

    public String controlAddress() {
        return controlAddress;
    }

    /** The node's renderer; empty: signaling's default renderer. */
    public String rendererAddress() {
        return rendererAddress;
    }

    public String busPath() {
        return busPath;
    }

    public int maxSessions() {
        return maxSessions;
    }

    public String registrationId() {
        return registrationId;
    }

    /** The certificate identity that registered (null in tests that build registrations by hand, and for views). */
    public FleetIdentity owner() {
        return owner;
    }

    public StreamerBackend backend() {
        return backend;
    }

    public StreamerState state() {
        return state;
    }

    public double load() {
        return load;
    }

    long lastHeartbeatNanos() {
        return lastHeartbeatNanos;
    }

    void heartbeat(long nowNanos, int activeSessions, StreamerState newState, double newLoad) {
        lastHeartbeatNanos = nowNanos;
        reportedSessions = activeSessions;
        state = newState;
        load = newLoad;
    }

    /** What the streamer itself last said it holds; informational (placement uses the fleet's slot count). */
    public int reportedSessions() {
        return reportedSessions;
    }

    @Override
    public String toString() {
        return "streamer " + streamerId + " at " + controlAddress;
    }
}
