package io.facecast.streamer.control;

import io.facecast.api.v1.SessionEvent;
import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.SessionRef;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.internal.v1.StreamerIceRequest;
import io.facecast.internal.v1.StreamerInspection;
import io.facecast.internal.v1.StreamerInterruptRequest;
import io.facecast.internal.v1.StreamerInterruptResponse;
import io.facecast.internal.v1.StreamerNegotiateRequest;
import io.facecast.internal.v1.StreamerNegotiateResponse;
import io.facecast.internal.v1.StreamerOpenRequest;
import io.facecast.rtc.IcePolicy;
import io.facecast.rtc.IceServerConfig;
import io.facecast.streamer.events.StreamerEvents;
import io.facecast.streamer.schedule.InterruptResult;
import io.facecast.streamer.session.StreamerSessions;
import io.facecast.errors.Errors;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

import java.util.List;
import java.util.function.Supplier;

/** gRPC face of {@link StreamerSessions}: translation only. Refusals keep their status; anything else (an Error from native code included) is INTERNAL, via the shared {@link Errors}. */
public final class StreamerControlService extends StreamerControlGrpc.StreamerControlImplBase {

    private final StreamerSessions sessions;
    private final StreamerEvents events;

    @Inject
    public StreamerControlService(StreamerSessions sessions, StreamerEvents events) {
        this.sessions = sessions;
        this.events = events;
    }

    @Override
    public void openSession(StreamerOpenRequest req, StreamObserver<Empty> out) {
        List<IceServerConfig> ice = req.getIceServersList().stream()
                .map(s -> new IceServerConfig(s.getUrlsList(), s.getUsername(), s.getCredential())).toList();
        answer("OpenSession", out, () -> {
            sessions.open(req.getSessionId(), req.getMedia(), ice, req.getRelayOnly() ? IcePolicy.RELAY : IcePolicy.ALL);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void negotiate(StreamerNegotiateRequest req, StreamObserver<StreamerNegotiateResponse> out) {
        answer("Negotiate", out, () -> StreamerNegotiateResponse.newBuilder()
                .setSdpAnswer(sessions.negotiate(req.getSessionId(), req.getSdpOffer())).build());
    }

    @Override
    public void addIceCandidate(StreamerIceRequest req, StreamObserver<Empty> out) {
        answer("AddIceCandidate", out, () -> {
            sessions.addIceCandidate(req.getSessionId(), req.getCandidate().getSdpMid(),
                    req.getCandidate().getSdpMlineIndex(), req.getCandidate().getCandidate());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void interrupt(StreamerInterruptRequest req, StreamObserver<StreamerInterruptResponse> out) {
        answer("Interrupt", out, () -> {
            InterruptResult r = sessions.interrupt(req.getSessionId(), req.getDiscardThroughUtteranceId());
            return StreamerInterruptResponse.newBuilder().setUtteranceId(r.utteranceId()).setPositionMs(r.positionMs()).build();
        });
    }

    @Override
    public void closeSession(SessionRef req, StreamObserver<Empty> out) {
        answer("CloseSession", out, () -> {
            sessions.close(req.getSessionId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void watchEvents(Empty req, StreamObserver<SessionEvent> out) {
        events.watch(out);
    }

    @Override
    public void inspect(Empty req, StreamObserver<StreamerInspection> out) {
        answer("Inspect", out, sessions::inspect);
    }

    private static <T> void answer(String method, StreamObserver<T> out, Supplier<T> call) {
        Errors.unary("StreamerControl." + method, "streamer", out, call);
    }
}
