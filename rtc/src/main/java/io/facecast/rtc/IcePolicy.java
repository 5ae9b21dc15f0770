package io.facecast.rtc;

/** Which ICE candidates a peer may use. RELAY forces media through TURN (for NATs and for testing TURN setups). */
public enum IcePolicy {
    ALL,
    RELAY
}
