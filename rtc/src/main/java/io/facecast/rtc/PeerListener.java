package io.facecast.rtc;

/**
 * Signaling-side events of one peer. Called on a shared event thread (never on a native WebRTC thread), in order,
 * so an implementation may call back into the peer, including {@code close()}; it should not block for long.
 */
public interface PeerListener {
    /** A local ICE candidate to send to the remote party (trickle ICE). */
    void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate);

    void onConnectionState(PeerState state);

    PeerListener NONE = new PeerListener() {
        @Override
        public void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
        }

        @Override
        public void onConnectionState(PeerState state) {
        }
    };
}
