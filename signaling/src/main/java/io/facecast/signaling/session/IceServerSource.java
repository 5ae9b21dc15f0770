package io.facecast.signaling.session;

import io.facecast.api.v1.IceServer;
import java.util.List;

/** The ICE servers a new session is given (client and streamer alike), and whether it must use relays only. */
public interface IceServerSource {

    List<IceServer> forSession(String sessionId);

    /** True when both ends must gather relay (TURN) candidates only. */
    default boolean relayOnly() {
        return false;
    }

    static IceServerSource fixed(List<IceServer> servers) {
        List<IceServer> copy = List.copyOf(servers);
        return sessionId -> copy;
    }
}
