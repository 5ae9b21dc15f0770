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
import io.facecast.renderer.RendererException;
import io.facecast.renderer.session.RenderSessions;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/** gRPC face of {@link RenderSessions}; also the one place where renderer errors become gRPC statuses. */
public final class RendererControlService extends RendererControlGrpc.RendererControlImplBase {
    private static final Logger log = LoggerFactory.getLogger(RendererControlService.class);
    private final RenderSessions sessions;
    private final RendererCatalogSource catalog;

    /** Without a catalog: ListCatalog answers UNIMPLEMENTED (tests that need only sessions). */
    public RendererControlService(RenderSessions sessions) {
        this(sessions, null);
    }

    @Inject
    public RendererControlService(RenderSessions sessions, RendererCatalogSource catalog) {
        this.sessions = sessions;
        this.catalog = catalog;
    }

    @Override
    public void listCatalog(Empty req, StreamObserver<io.facecast.internal.v1.RendererCatalog> out) {
        if (catalog == null) {
            out.onError(Status.UNIMPLEMENTED.withDescription("this renderer lists no catalog").asRuntimeException());
            return;
        }
        respond(out, catalog::catalog);
    }

    @Override
    public void openSession(RendererOpenRequest req, StreamObserver<RendererOpenResponse> out) {
        respond(out, () -> {
            RenderSessions.Opened o = sessions.open(req.getSessionId(), req.getAvatar(), req.getVoice(),
                    req.getMedia(), req.getBusPath());
            return RendererOpenResponse.newBuilder().setAvatar(o.avatar()).setVoice(o.voice()).build();
        });
    }

    @Override
    public void speak(RendererSpeakRequest req, StreamObserver<RendererSpeakResponse> out) {
        respond(out, () -> {
            sessions.speak(req.getSessionId(), req.getUtteranceId(), req.getText(), req.getSyncMarkers());
            return RendererSpeakResponse.getDefaultInstance();
        });
    }

    @Override
    public StreamObserver<io.facecast.internal.v1.RendererSpeakAudioRequest> speakAudio(StreamObserver<RendererSpeakResponse> out) {
        return new AudioUploadObserver(sessions, out);
    }

    @Override
    public void interrupt(RendererInterruptRequest req, StreamObserver<RendererInterruptResponse> out) {
        respond(out, () -> {
            sessions.interrupt(req.getSessionId(), req.getDiscardThroughUtteranceId());
            return RendererInterruptResponse.getDefaultInstance();
        });
    }

    @Override
    public void closeSession(SessionRef req, StreamObserver<Empty> out) {
        respond(out, () -> {
            sessions.close(req.getSessionId());
            return Empty.getDefaultInstance();
        });
    }

    private static <T> void respond(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RendererException e) {
            out.onError(Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            // The client gets a short description; the stack trace stays in the renderer's log.
            log.error("renderer control call failed", e);
            out.onError(Status.INTERNAL.withDescription("renderer failed: " + e.getClass().getSimpleName()).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }
}
