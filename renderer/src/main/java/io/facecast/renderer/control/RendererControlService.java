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
import io.facecast.errors.Errors;
import io.facecast.renderer.session.RenderSessions;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

import java.util.function.Supplier;

/** gRPC face of {@link RenderSessions}; its errors become gRPC statuses in the shared {@link Errors}. */
public final class RendererControlService extends RendererControlGrpc.RendererControlImplBase {
    private final RenderSessions sessions;
    private final long uploadIdleTimeoutMs;

    @Inject
    public RendererControlService(RenderSessions sessions) {
        this(sessions, AudioUploadObserver.IDLE_TIMEOUT_MS);
    }

    /** @param uploadIdleTimeoutMs how long a SpeakAudio upload may send nothing (tests shorten it) */
    RendererControlService(RenderSessions sessions, long uploadIdleTimeoutMs) {
        this.sessions = sessions;
        this.uploadIdleTimeoutMs = uploadIdleTimeoutMs;
    }

    @Override
    public void openSession(RendererOpenRequest req, StreamObserver<RendererOpenResponse> out) {
        respond("RendererControl.OpenSession", out, () -> {
            RenderSessions.Opened o = sessions.open(req.getSessionId(), req.getAvatar(), req.getVoice(),
                    req.getMedia(), req.getBusPath());
            return RendererOpenResponse.newBuilder().setAvatar(o.avatar()).setVoice(o.voice()).build();
        });
    }

    @Override
    public void speak(RendererSpeakRequest req, StreamObserver<RendererSpeakResponse> out) {
        respond("RendererControl.Speak", out, () -> {
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
        respond("RendererControl.Interrupt", out, () -> {
            sessions.interrupt(req.getSessionId(), req.getDiscardThroughUtteranceId());
            return RendererInterruptResponse.getDefaultInstance();
        });
    }

    @Override
    public void closeSession(SessionRef req, StreamObserver<Empty> out) {
        respond("RendererControl.CloseSession", out, () -> {
            sessions.close(req.getSessionId());
            return Empty.getDefaultInstance();
        });
    }

    private static <T> void respond(String method, StreamObserver<T> out, Supplier<T> call) {
        Errors.unary(method, "renderer", out, call);
    }
}
