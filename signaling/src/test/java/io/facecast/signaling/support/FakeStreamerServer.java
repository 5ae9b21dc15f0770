package io.facecast.signaling.support;

import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.StateChanged;
import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.SessionRef;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.internal.v1.StreamerIceRequest;
import io.facecast.internal.v1.StreamerInterruptRequest;
import io.facecast.internal.v1.StreamerInterruptResponse;
import io.facecast.internal.v1.StreamerNegotiateRequest;
import io.facecast.internal.v1.StreamerNegotiateResponse;
import io.facecast.internal.v1.StreamerOpenRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A StreamerControl that accepts sessions, answers offers containing "fake-ok", and lets the test push events. */
public final class FakeStreamerServer extends StreamerControlGrpc.StreamerControlImplBase {

    private final String name;
    private final CallLog log;
    public final Set<String> openSessions = ConcurrentHashMap.newKeySet();
    public final Map<String, StreamerOpenRequest> opened = new ConcurrentHashMap<>();
    public final List<StreamerIceRequest> candidates = new CopyOnWriteArrayList<>();
    public final List<StreamerInterruptRequest> interrupts = new CopyOnWriteArrayList<>();
    private final List<ServerCallStreamObserver<SessionEvent>> watchers = new CopyOnWriteArrayList<>();
    /** One entry per WatchEvents stream opened, so tests can wait for (re)subscription without sleeping. */
    public final LinkedBlockingQueue<String> subscriptions = new LinkedBlockingQueue<>();

    public FakeStreamerServer(String name, CallLog log) {
        this.name = name;
        this.log = log;
    }

    @Override
    public void openSession(StreamerOpenRequest request, StreamObserver<Empty> response) {
        log.add(name + " OpenSession " + request.getSessionId());
        openSessions.add(request.getSessionId());
        opened.put(request.getSessionId(), request);
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void negotiate(StreamerNegotiateRequest request, StreamObserver<StreamerNegotiateResponse> response) {
        log.add(name + " Negotiate " + request.getSessionId());
        if (!request.getSdpOffer().contains("fake-ok")) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("offer rejected by WebRTC: bad fingerprint").asRuntimeException());
            return;
        }
        response.onNext(StreamerNegotiateResponse.newBuilder().setSdpAnswer("v=0 answer for " + request.getSessionId()).build());
        response.onCompleted();
    }

    @Override
    public void addIceCandidate(StreamerIceRequest request, StreamObserver<Empty> response) {
        log.add(name + " AddIceCandidate " + request.getSessionId());
        candidates.add(request);
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void interrupt(StreamerInterruptRequest request, StreamObserver<StreamerInterruptResponse> response) {
        log.add(name + " Interrupt " + request.getSessionId() + " " + request.getDiscardThroughUtteranceId());
        interrupts.add(request);
        response.onNext(StreamerInterruptResponse.newBuilder()
                .setUtteranceId(request.getDiscardThroughUtteranceId()).setPositionMs(420).build());
        response.onCompleted();
    }

    @Override
    public void closeSession(SessionRef request, StreamObserver<Empty> response) {
        log.add(name + " CloseSession " + request.getSessionId());
        openSessions.remove(request.getSessionId());
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void watchEvents(Empty request, StreamObserver<SessionEvent> response) {
        ServerCallStreamObserver<SessionEvent> stream = (ServerCallStreamObserver<SessionEvent>) response;
        stream.setOnCancelHandler(() -> watchers.remove(stream));
        watchers.add(stream);
        subscriptions.add(name);
    }

    /** Waits until signaling has opened n event streams in total (no fixed sleep: returns as soon as it happens). */
    public void awaitSubscriptions(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            if (subscriptions.poll(5, TimeUnit.SECONDS) == null) {
                throw new AssertionError(name + ": signaling did not open event stream #" + (i + 1));
            }
        }
    }

    public void emit(SessionEvent event) {
        for (ServerCallStreamObserver<SessionEvent> watcher : watchers) {
            synchronized (watcher) {
                watcher.onNext(event);
            }
        }
    }

    public void emitState(String sessionId, SessionState state, String reason) {
        emit(SessionEvent.newBuilder()
                .setSessionId(sessionId)
                .setTimestampUs(1)
                .setStateChanged(StateChanged.newBuilder().setState(state).setReason(reason))
                .build());
    }

    /** Ends every event stream, as a streamer restart of its gRPC service would. */
    public void breakEventStreams() {
        for (ServerCallStreamObserver<SessionEvent> watcher : watchers) {
            watchers.remove(watcher);
            watcher.onError(Status.UNAVAILABLE.withDescription("stream reset").asRuntimeException());
        }
    }
}
