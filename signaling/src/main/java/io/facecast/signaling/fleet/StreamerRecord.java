package io.facecast.signaling.fleet;

/**
 * A streamer as every signaling replica sees it in the shared fleet state.
 *
 * @param nodeId           the node (one host's renderer plus its streamers); the streamer's id when it named none
 * @param rendererAddress  host:port of the node's renderer; empty: signaling's default renderer (--renderer)
 * @param load             0..1 as the streamer last reported it: its CPU share of its machine, smoothed
 * @param heartbeatAtMillis fleet time of the last heartbeat (or registration)
 * @param registrationId   changes with every registration, so a replica can tell its registration was replaced
 * @param replicaId        the signaling replica the streamer registered with (it pumps the streamer's events)
 */
public record StreamerRecord(
        String streamerId,
        String nodeId,
        String controlAddress,
        String rendererAddress,
        String busPath,
        int maxSessions,
        StreamerState state,
        double load,
        long heartbeatAtMillis,
        String registrationId,
        String replicaId) {

    public StreamerRecord withHeartbeat(long atMillis, StreamerState newState, double newLoad) {
        return new StreamerRecord(streamerId, nodeId, controlAddress, rendererAddress, busPath, maxSessions, newState,
                newLoad, atMillis, registrationId, replicaId);
    }

    /**
     * What placement weighs streamers by: {@code max(load, held / maxSessions)}, with the slots held counted in the
     * fleet state, never taken from a heartbeat (that count would be up to a period old, and a slot freed after a
     * heartbeat that said "full" would stay unusable until the next one). The threshold applies to the CPU load
     * alone, and {@code maxSessions} alone caps the sessions, so {@code --max-sessions N} means N.
     */
    public double placementLoad(int slotsHeld) {
        return Math.max(load, (double) slotsHeld / Math.max(1, maxSessions));
    }

    public boolean lapsed(long nowMillis, long ttlMillis) {
        return nowMillis - heartbeatAtMillis > ttlMillis;
    }
}
