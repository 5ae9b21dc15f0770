package io.facecast.client;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.rtc.PeerFactories;

/** The process-wide receiving factory (heavyweight: one per process), created on first use, freed at JVM exit. */
public final class ReceiverFactories {
    private static PeerConnectionFactory shared;

    private ReceiverFactories() {
    }

    public static synchronized PeerConnectionFactory shared() {
        if (shared == null) {
            shared = PeerFactories.forReceiving();
        }
        return shared;
    }
}
