package io.facecast.signaling.fleet;

/**
 * A streamer as every signaling replica sees it in the shared fleet state.
 *
 * @param nodeId           the node (one host's renderer plus its streamers); the streamer's id when it named none
 * @param rendererAddress  host:port of the node's renderer; empty: signaling's default renderer (--renderer)
 * @param load             0..1 as the streamer last reported it
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

    public boolean lapsed(long nowMillis, long ttlMillis) {
        return nowMillis - heartbeatAtMillis > ttlMillis;
    }
}
