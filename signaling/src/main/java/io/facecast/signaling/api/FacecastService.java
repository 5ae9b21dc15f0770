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
import io.facecast.signaling.SignalingConfig;
import io.facecast.signaling.auth.GrpcAuth;
import io.facecast.signaling.auth.PublicAccess;
import io.facecast.signaling.relay.GrpcEventSink;
import io.facecast.signaling.session.SessionManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The public API; every rule lives in {@link SessionManager}, every access rule in {@link PublicAccess} (the caller
 * was authenticated by {@link GrpcAuth} before the call got here; each method checks what it may touch).
 */
public final class FacecastService extends FacecastGrpc.FacecastImplBase {

    private final SessionManager sessions;
    private final PublicAccess access;
    private final int eventQueueCapacity;

    @Inject
    public FacecastService(SessionManager sessions, PublicAccess access, SignalingConfig config) {
        this.sessions = sessions;
        this.access = access;
        this.eventQueueCapacity = config.eventQueueCapacity();
    }

    /** This service behind {@link GrpcAuth}: what a server adds (the bare service fails every call closed). */
    public io.grpc.ServerServiceDefinition authenticated() {
        return io.grpc.ServerInterceptors.intercept(this, new GrpcAuth(access));
    }

    private void allow(String sessionId) {
        access.requireSession(GrpcAuth.caller(), sessionId);
    }

    @Override
    public void createSession(CreateSessionRequest request, StreamObserver<Session> response) {
        Errors.unary("CreateSession", "signaling", response, () -> access.create(GrpcAuth.caller(), request, sessions::create));
    }

    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
        Errors.unary("GetSession", "signaling", response, () -> {
            allow(request.getSessionId());
            return sessions.get(request.getSessionId());
        });
    }

    @Override
    public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> response) {
        Errors.unary("CloseSession", "signaling", response, () -> {
            allow(request.getSessionId());
            sessions.close(request.getSessionId());
            return CloseSessionResponse.getDefaultInstance();
        });
    }

    @Override
    public void negotiate(NegotiateRequest request, StreamObserver<NegotiateResponse> response) {
        Errors.unary("Negotiate", "signaling", response, () -> access.onSession(GrpcAuth.caller(), request.getSessionId(), () -> NegotiateResponse.newBuilder()
                .setSdpAnswer(sessions.negotiate(request.getSessionId(), request.getSdpOffer()))
                .build()));
    }

    @Override
    public void addIceCandidate(AddIceCandidateRequest request, StreamObserver<AddIceCandidateResponse> response) {
        Errors.unary("AddIceCandidate", "signaling", response, () -> {
            allow(request.getSessionId());
            sessions.addIceCandidate(request.getSessionId(), request.getCandidate());
            return AddIceCandidateResponse.getDefaultInstance();
        });
    }

    @Override
    public void speak(SpeakRequest request, StreamObserver<SpeakResponse> response) {
        Errors.unary("Speak", "signaling", response, () -> access.onSession(GrpcAuth.caller(), request.getSessionId(), () -> SpeakResponse.newBuilder()
                .setUtteranceId(sessions.speak(request.getSessionId(), request.getText(), request.getSyncMarkers()))
                .build()));
    }

    @Override
    public StreamObserver<io.facecast.api.v1.SpeakAudioRequest> speakAudio(StreamObserver<SpeakResponse> response) {
        io.facecast.signaling.auth.Principal caller = GrpcAuth.caller();
        return new SpeakAudioRelay(sessions, response, id -> access.requireSession(caller, id));
    }

    @Override
    public void interrupt(InterruptRequest request, StreamObserver<InterruptResponse> response) {
        Errors.unary("Interrupt", "signaling", response, () -> access.onSession(GrpcAuth.caller(), request.getSessionId(), () -> InterruptResponse.newBuilder()
                .setUtteranceId(sessions.interrupt(request.getSessionId()))
                .build()));
    }

    @Override
    public void watchEvents(WatchEventsRequest request, StreamObserver<SessionEvent> response) {
        ServerCallStreamObserver<SessionEvent> stream = (ServerCallStreamObserver<SessionEvent>) response;
        AtomicReference<Runnable> unsubscribe = new AtomicReference<>(() -> {});
        // The handler must be set before this method returns; it runs only after, once unsubscribe is filled in.
        stream.setOnCancelHandler(() -> unsubscribe.get().run());
        try {
            allow(request.getSessionId());
            unsubscribe.set(sessions.watch(request.getSessionId(), new GrpcEventSink(request.getSessionId(), stream, eventQueueCapacity)));
        } catch (RuntimeException e) {
            stream.onError(Errors.toStatus("WatchEvents", "signaling", e));
        }
    }

    @Override
    public void listAvatars(io.facecast.api.v1.ListAvatarsRequest request,
                            StreamObserver<io.facecast.api.v1.ListAvatarsResponse> response) {
        Errors.unary("ListAvatars", "signaling", response, () -> io.facecast.api.v1.ListAvatarsResponse.newBuilder()
                .addAllAvatars(sessions.catalog().getAvatarsList()).build());
    }

    @Override
    public void listVoices(io.facecast.api.v1.ListVoicesRequest request,
                           StreamObserver<io.facecast.api.v1.ListVoicesResponse> response) {
        Errors.unary("ListVoices", "signaling", response, () -> io.facecast.api.v1.ListVoicesResponse.newBuilder()
                .addAllVoices(sessions.catalog().getVoicesList()).build());
    }
}
