package io.facecast.signaling.fleet;

import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionState;

/**
 * A live session as every signaling replica sees it in the shared fleet state: where it runs and everything needed
 * to serve it, or to open it again on a restarted renderer.
 *
 * @param snapshot        the public view at creation (avatar, voice, video, ICE servers, streamer id); its state
 *                        field is not used, {@code state} is
 * @param rendererAddress the node's renderer; empty: signaling's default renderer
 * @param busPath         the streamer's queue directory (the renderer's OpenSession needs it)
 * @param ownerKeyId      the API key that created it (empty: auth off, or not known)
 */
public record SessionRecord(
        String sessionId,
        String streamerId,
        String rendererAddress,
        String busPath,
        Session snapshot,
        SessionState state,
        String ownerKeyId,
        String ownerCredentialId) {

    public SessionRecord withState(SessionState newState) {
        return new SessionRecord(sessionId, streamerId, rendererAddress, busPath, snapshot, newState, ownerKeyId,
                ownerCredentialId);
    }

    public SessionRecord withStreamer(StreamerRecord streamer) {
        return new SessionRecord(sessionId, streamer.streamerId(), streamer.rendererAddress(), streamer.busPath(),
                snapshot.toBuilder().setStreamerId(streamer.streamerId()).build(), state, ownerKeyId, ownerCredentialId);
    }

    public SessionRecord withOwner(String keyId, String credentialId) {
        return new SessionRecord(sessionId, streamerId, rendererAddress, busPath, snapshot, state, keyId, credentialId);
    }
}
