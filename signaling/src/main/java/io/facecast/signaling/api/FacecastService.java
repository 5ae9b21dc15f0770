package io.facecast.signaling.api;

import io.facecast.errors.Errors;
import io.facecast.api.v1.AddIceCandidateRequest;
import io.facecast.api.v1.AddIceCandidateResponse;
import io.facecast.api.v1.CloseSessionRequest;
import io.facecast.api.v1.CloseSessionResponse;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.InterruptRequest;
import io.facecast.api.v1.InterruptResponse;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.NegotiateResponse;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.SpeakResponse;
import io.facecast.api.v1.WatchEventsRequest;
import io.facecast.signaling.relay.GrpcEventSink;
import io.facecast.signaling.session.SessionManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/** The public API; every rule lives in {@link SessionManager}. */
public final class FacecastService extends FacecastGrpc.FacecastImplBase {

    private final SessionManager sessions;

    @Inject
    public FacecastService(SessionManager sessions) {
        this.sessions = sessions;
    }

    @Override
    public void createSession(CreateSessionRequest request, StreamObserver<Session> response) {
        Errors.unary("CreateSession", "signaling", response, () -> sessions.create(request));
    }

    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
        Errors.unary("GetSession", "signaling", response, () -> sessions.get(request.getSessionId()));
    }

    @Override
    public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> response) {
        Errors.unary("CloseSession", "signaling", response, () -> {
            sessions.close(request.getSessionId());
            return CloseSessionResponse.getDefaultInstance();
        });
    }

    @Override
    public void negotiate(NegotiateRequest request, StreamObserver<NegotiateResponse> response) {
        Errors.unary("Negotiate", "signaling", response, () -> NegotiateResponse.newBuilder()
                .setSdpAnswer(sessions.negotiate(request.getSessionId(), request.getSdpOffer()))
                .build());
    }

    @Override
    public void addIceCandidate(AddIceCandidateRequest request, StreamObserver<AddIceCandidateResponse> response) {
        Errors.unary("AddIceCandidate", "signaling", response, () -> {
            sessions.addIceCandidate(request.getSessionId(), request.getCandidate());
            return AddIceCandidateResponse.getDefaultInstance();
        });
    }

    @Override
    public void speak(SpeakRequest request, StreamObserver<SpeakResponse> response) {
        Errors.unary("Speak", "signaling", response, () -> SpeakResponse.newBuilder()
                .setUtteranceId(sessions.speak(request.getSessionId(), request.getText(), request.getSyncMarkers()))
                .build());
    }

    @Override
    public StreamObserver<io.facecast.api.v1.SpeakAudioRequest> speakAudio(StreamObserver<SpeakResponse> response) {
        return new SpeakAudioRelay(sessions, response);
    }

    @Override
    public void interrupt(InterruptRequest request, StreamObserver<InterruptResponse> response) {
        Errors.unary("Interrupt", "signaling", response, () -> InterruptResponse.newBuilder()
                .setUtteranceId(sessions.interrupt(request.getSessionId()))
                .build());
    }

    @Override
    public void watchEvents(WatchEventsRequest request, StreamObserver<SessionEvent> response) {
        ServerCallStreamObserver<SessionEvent> stream = (ServerCallStreamObserver<SessionEvent>) response;
        AtomicReference<Runnable> unsubscribe = new AtomicReference<>(() -> {});
        // The handler must be set before this method returns; it runs only after, once unsubscribe is filled in.
        stream.setOnCancelHandler(() -> unsubscribe.get().run());
        try {
            unsubscribe.set(sessions.watch(request.getSessionId(), new GrpcEventSink(request.getSessionId(), stream)));
        } catch (RuntimeException e) {
            stream.onError(Errors.toStatus("WatchEvents", "signaling", e));
        }
    }
}
