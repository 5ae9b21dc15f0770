package io.facecast.signaling.backend;

import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.SessionEvent;
import io.facecast.internal.v1.StreamerInterruptResponse;
import io.facecast.internal.v1.StreamerOpenRequest;
import io.grpc.stub.StreamObserver;

/** One registered streamer's control API. Failures arrive translated for the client (see {@link BackendCall}). */
public interface StreamerBackend {

    /** What to call the streamer in messages, e.g. "streamer s1 at 127.0.0.1:50071". */
    String describe();

    void openSession(StreamerOpenRequest request);

    String negotiate(String sessionId, String sdpOffer);

    void addIceCandidate(String sessionId, IceCandidate candidate);

    StreamerInterruptResponse interrupt(String sessionId, long discardThroughUtteranceId);

    void closeSession(String sessionId);

    /** Opens the streamer's event stream (no deadline); the returned handle cancels it. */
    Runnable watchEvents(StreamObserver<SessionEvent> observer);

    /** Whether the streamer answers a call within this time; backends that cannot tell say no. */
    default boolean answers(java.time.Duration within) {
        return false;
    }

    /** Releases the channel; called when the streamer is replaced or declared dead. */
    void shutdown();
}
