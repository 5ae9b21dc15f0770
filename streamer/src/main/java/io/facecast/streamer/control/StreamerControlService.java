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
import io.facecast.streamer.session.StreamerException;
import io.facecast.streamer.session.StreamerSessions;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Supplier;

/** gRPC face of {@link StreamerSessions}: translation only. Refusals keep their status; anything else is INTERNAL. */
public final class StreamerControlService extends StreamerControlGrpc.StreamerControlImplBase {
    private static final Logger log = LoggerFactory.getLogger(StreamerControlService.class);

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
        answer(out, () -> {
            sessions.open(req.getSessionId(), req.getMedia(), ice, req.getRelayOnly() ? IcePolicy.RELAY : IcePolicy.ALL);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void negotiate(StreamerNegotiateRequest req, StreamObserver<StreamerNegotiateResponse> out) {
        answer(out, () -> StreamerNegotiateResponse.newBuilder()
                .setSdpAnswer(sessions.negotiate(req.getSessionId(), req.getSdpOffer())).build());
    }

    @Override
    public void addIceCandidate(StreamerIceRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            sessions.addIceCandidate(req.getSessionId(), req.getCandidate().getSdpMid(),
                    req.getCandidate().getSdpMlineIndex(), req.getCandidate().getCandidate());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void interrupt(StreamerInterruptRequest req, StreamObserver<StreamerInterruptResponse> out) {
        answer(out, () -> {
            InterruptResult r = sessions.interrupt(req.getSessionId(), req.getDiscardThroughUtteranceId());
            return StreamerInterruptResponse.newBuilder().setUtteranceId(r.utteranceId()).setPositionMs(r.positionMs()).build();
        });
    }

    @Override
    public void closeSession(SessionRef req, StreamObserver<Empty> out) {
        answer(out, () -> {
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
        answer(out, sessions::inspect);
    }

    private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (StreamerException e) {
            out.onError(Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            log.error("streamer control call failed", e);
            out.onError(Status.INTERNAL.withDescription("internal error (see streamer log)").asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }
}
