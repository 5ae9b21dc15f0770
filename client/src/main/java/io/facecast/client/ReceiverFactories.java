package io.facecast.client;

import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.rtc.PeerFactories;

/**
 * The process-wide receiving factory (heavyweight: one per process), created on first use, freed by
 * {@link #disposeShared()} before the CLI exits.
 */
public final class ReceiverFactories {
    private static PeerConnectionFactory shared;

    private ReceiverFactories() {
    }

    public static synchronized PeerConnectionFactory shared() {
        if (shared == null) {
            // One line naming the missing Debian package rather than an UnsatisfiedLinkError's stack trace.
            io.facecast.rtc.NativeLibrary.loadProblem().ifPresent(problem -> {
                throw new MediaDidNotArriveException(problem);
            });
            shared = PeerFactories.forReceiving();
        }
        return shared;
    }

    public static synchronized boolean inUse() {
        return shared != null;
    }

    /** Frees the shared factory (its native threads end), if one was made. */
    public static synchronized void disposeShared() {
        if (shared != null) {
            PeerFactories.dispose(shared);
            shared = null;
        }
    }
}
