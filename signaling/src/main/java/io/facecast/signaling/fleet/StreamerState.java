package io.facecast.signaling.fleet;

import io.facecast.internal.v1.NodeState;

/** SERVING takes new sessions; DRAINING keeps its live ones and takes none. */
public enum StreamerState {
    SERVING,
    DRAINING;

    /** A heartbeat without a state (an older streamer) means SERVING. */
    public static StreamerState of(NodeState state) {
        return state == NodeState.NODE_STATE_DRAINING ? DRAINING : SERVING;
    }
}
