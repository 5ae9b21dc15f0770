package io.facecast.signaling.backend;

import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.grpc.Status;

/**
 * The renderer's control API as signaling uses it. Failures arrive as {@link io.grpc.StatusRuntimeException} already
 * translated for the client (see {@link BackendCall}).
 */
public interface RendererBackend {

    /** What to call the renderer in messages, e.g. "renderer at 127.0.0.1:50061". */
    String describe();

    RendererOpenResponse openSession(RendererOpenRequest request);

    void speak(String sessionId, long utteranceId, String text, boolean syncMarkers);

    /**
     * Starts streaming a supplied-audio utterance (the start carries session, utterance id and format). Backends that
     * cannot stream audio keep this default and refuse.
     */
    default RendererAudioUpload speakAudio(RendererSpeakAudioStart start) {
        throw Status.UNIMPLEMENTED.withDescription(describe() + " does not accept supplied audio").asRuntimeException();
    }

    void interrupt(String sessionId, long discardThroughUtteranceId);

    /** The avatars (with previews) and voices the renderer can use now. Backends that cannot list keep this default. */
    default io.facecast.internal.v1.RendererCatalog catalog() {
        throw Status.UNIMPLEMENTED.withDescription(describe() + " does not list its avatars and voices").asRuntimeException();
    }

    void closeSession(String sessionId);
}
