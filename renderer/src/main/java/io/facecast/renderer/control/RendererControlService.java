package io.facecast.renderer.control;

import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererInterruptRequest;
import io.facecast.internal.v1.RendererInterruptResponse;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;
import io.facecast.internal.v1.RendererSpeakRequest;
import io.facecast.internal.v1.RendererSpeakResponse;
import io.facecast.internal.v1.SessionRef;
import io.facecast.errors.ErrorCode;
import io.facecast.errors.Errors;
import io.facecast.errors.FacecastException;
import io.facecast.renderer.session.RenderSessions;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/** gRPC face of {@link RenderSessions}; its errors become gRPC statuses in the shared {@link Errors}. */
public final class RendererControlService extends RendererControlGrpc.RendererControlImplBase {
    private final RenderSessions sessions;
    private final RendererCatalogSource catalog;
    private final long uploadIdleTimeoutMs;

    /** Without a catalog: ListCatalog answers UNIMPLEMENTED (tests that need only sessions). */
    public RendererControlService(RenderSessions sessions) {
        this(sessions, null, AudioUploadObserver.IDLE_TIMEOUT_MS);
    }

    @Inject
    public RendererControlService(RenderSessions sessions, RendererCatalogSource catalog) {
        this(sessions, catalog, AudioUploadObserver.IDLE_TIMEOUT_MS);
    }

    /** @param uploadIdleTimeoutMs how long a SpeakAudio upload may send nothing (tests shorten it) */
    RendererControlService(RenderSessions sessions, RendererCatalogSource catalog, long uploadIdleTimeoutMs) {
        this.sessions = sessions;
        this.catalog = catalog;
        this.uploadIdleTimeoutMs = uploadIdleTimeoutMs;
    }

    @Override
    public void listCatalog(Empty req, StreamObserver<io.facecast.internal.v1.RendererCatalog> out) {
        Errors.unary("RendererControl.ListCatalog", "renderer", out, () -> {
            if (catalog == null) {
                throw new FacecastException(ErrorCode.UNIMPLEMENTED, "this renderer lists no catalog");
            }
            return catalog.catalog();
        });
    }

    @Override
    public void openSession(RendererOpenRequest req, StreamObserver<RendererOpenResponse> out) {
        Errors.unary("RendererControl.OpenSession", "renderer", out, () -> {
            RenderSessions.Opened o = sessions.open(req.getSessionId(), req.getAvatar(), req.getVoice(),
                    req.getMedia(), req.getBusPath());
            return RendererOpenResponse.newBuilder().setAvatar(o.avatar()).setVoice(o.voice())
                    .setLastUtteranceId(o.lastUtteranceId()).build();
        });
    }

    @Override
    public void speak(RendererSpeakRequest req, StreamObserver<RendererSpeakResponse> out) {
        Errors.unary("RendererControl.Speak", "renderer", out, () -> {
            sessions.speak(req.getSessionId(), req.getUtteranceId(), req.getText(), req.getSyncMarkers());
            return RendererSpeakResponse.getDefaultInstance();
        });
    }

    @Override
    public StreamObserver<io.facecast.internal.v1.RendererSpeakAudioRequest> speakAudio(StreamObserver<RendererSpeakResponse> out) {
        return new AudioUploadObserver(sessions, out, uploadIdleTimeoutMs);
    }

    @Override
    public void interrupt(RendererInterruptRequest req, StreamObserver<RendererInterruptResponse> out) {
        Errors.unary("RendererControl.Interrupt", "renderer", out, () -> {
            sessions.interrupt(req.getSessionId(), req.getDiscardThroughUtteranceId());
            return RendererInterruptResponse.getDefaultInstance();
        });
    }

    @Override
    public void closeSession(SessionRef req, StreamObserver<Empty> out) {
        Errors.unary("RendererControl.CloseSession", "renderer", out, () -> {
            sessions.close(req.getSessionId());
            return Empty.getDefaultInstance();
        });
    }
}
