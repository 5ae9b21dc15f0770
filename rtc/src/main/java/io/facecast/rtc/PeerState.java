package io.facecast.rtc;

import dev.onvoid.webrtc.RTCPeerConnectionState;

/** Connection state of a peer, decoupled from webrtc-java's enum so callers need not depend on it. */
public enum PeerState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED;

    static PeerState of(RTCPeerConnectionState state) {
        return switch (state) {
            case NEW -> NEW;
            case CONNECTING -> CONNECTING;
            case CONNECTED -> CONNECTED;
            case DISCONNECTED -> DISCONNECTED;
            case FAILED -> FAILED;
            case CLOSED -> CLOSED;
        };
    }

    /** True for states from which media will not flow again without a new negotiation. */
    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
