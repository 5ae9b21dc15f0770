package io.facecast.signaling.api;

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
        Rpc.unary("CreateSession", response, () -> sessions.create(request));
    }

    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
        Rpc.unary("GetSession", response, () -> sessions.get(request.getSessionId()));
    }

    @Override
    public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> response) {
        Rpc.unary("CloseSession", response, () -> {
            sessions.close(request.getSessionId());
            return CloseSessionResponse.getDefaultInstance();
        });
    }

    @Override
    public void negotiate(NegotiateRequest request, StreamObserver<NegotiateResponse> response) {
        Rpc.unary("Negotiate", response, () -> NegotiateResponse.newBuilder()
                .setSdpAnswer(sessions.negotiate(request.getSessionId(), request.getSdpOffer()))
                .build());
    }

    @Override
    public void addIceCandidate(AddIceCandidateRequest request, StreamObserver<AddIceCandidateResponse> response) {
        Rpc.unary("AddIceCandidate", response, () -> {
            sessions.addIceCandidate(request.getSessionId(), request.getCandidate());
            return AddIceCandidateResponse.getDefaultInstance();
        });
    }

    @Override
    public void speak(SpeakRequest request, StreamObserver<SpeakResponse> response) {
        Rpc.unary("Speak", response, () -> SpeakResponse.newBuilder()
                .setUtteranceId(sessions.speak(request.getSessionId(), request.getText(), request.getSyncMarkers()))
                .build());
    }

    @Override
    public StreamObserver<io.facecast.api.v1.SpeakAudioRequest> speakAudio(StreamObserver<SpeakResponse> response) {
        return new SpeakAudioRelay(sessions, response);
    }

    @Override
    public void interrupt(InterruptRequest request, StreamObserver<InterruptResponse> response) {
        Rpc.unary("Interrupt", response, () -> InterruptResponse.newBuilder()
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
            unsubscribe.set(sessions.watch(request.getSessionId(), new GrpcEventSink(stream)));
        } catch (RuntimeException e) {
            stream.onError(Rpc.toClient("WatchEvents", e));
        }
    }

    @Override
    public void listAvatars(io.facecast.api.v1.ListAvatarsRequest request,
                            StreamObserver<io.facecast.api.v1.ListAvatarsResponse> response) {
        Rpc.unary("ListAvatars", response, () -> io.facecast.api.v1.ListAvatarsResponse.newBuilder()
                .addAllAvatars(sessions.catalog().getAvatarsList()).build());
    }

    @Override
    public void listVoices(io.facecast.api.v1.ListVoicesRequest request,
                           StreamObserver<io.facecast.api.v1.ListVoicesResponse> response) {
        Rpc.unary("ListVoices", response, () -> io.facecast.api.v1.ListVoicesResponse.newBuilder()
                .addAllVoices(sessions.catalog().getVoicesList()).build());
    }
}
