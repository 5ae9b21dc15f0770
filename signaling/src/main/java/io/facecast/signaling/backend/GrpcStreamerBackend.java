package io.facecast.signaling.backend;

import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.SessionEvent;
import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.SessionRef;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.internal.v1.StreamerIceRequest;
import io.facecast.internal.v1.StreamerInterruptRequest;
import io.facecast.internal.v1.StreamerInterruptResponse;
import io.facecast.internal.v1.StreamerNegotiateRequest;
import io.facecast.internal.v1.StreamerOpenRequest;
import io.facecast.security.FleetRole;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** StreamerControl over a channel owned by this registration; unary calls carry the control deadline. */
public final class GrpcStreamerBackend implements StreamerBackend {

    private final String description;
    private final String address;
    private final ManagedChannel channel;
    private final StreamerControlGrpc.StreamerControlBlockingStub blocking;
    private final StreamerControlGrpc.StreamerControlStub async;
    private final long deadlineMillis;

    public GrpcStreamerBackend(String streamerId, String address, ChannelFactory channels, Duration deadline) {
        // Clients see "streamer <id>"; where it is stays in signaling's log (BackendCall).
        this.description = "streamer " + streamerId;
        this.address = address;
        // The channel only talks to the process whose certificate says it is this streamer.
        this.channel = channels.open(address, FleetRole.STREAMER, streamerId);
        this.blocking = StreamerControlGrpc.newBlockingStub(channel);
        this.async = StreamerControlGrpc.newStub(channel);
        this.deadlineMillis = deadline.toMillis();
    }

    private StreamerControlGrpc.StreamerControlBlockingStub call() {
        return blocking.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public String describe() {
        return description;
    }

    /** Inspect with a short deadline: does the streamer answer at all (a liveness probe, never in a client's path). */
    @Override
    public boolean answers(Duration within) {
        try {
            blocking.withDeadlineAfter(within.toMillis(), TimeUnit.MILLISECONDS)
                    .inspect(io.facecast.internal.v1.Empty.getDefaultInstance());
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            return false;
        }
    }

    @Override
    public void openSession(StreamerOpenRequest request) {
        BackendCall.run(description, address, () -> call().openSession(request));
    }

    @Override
    public String negotiate(String sessionId, String sdpOffer) {
        StreamerNegotiateRequest request =
                StreamerNegotiateRequest.newBuilder().setSessionId(sessionId).setSdpOffer(sdpOffer).build();
        return BackendCall.run(description, address, () -> call().negotiate(request)).getSdpAnswer();
    }

    @Override
    public void addIceCandidate(String sessionId, IceCandidate candidate) {
        StreamerIceRequest request = StreamerIceRequest.newBuilder().setSessionId(sessionId).setCandidate(candidate).build();
        BackendCall.run(description, address, () -> call().addIceCandidate(request));
    }

    @Override
    public StreamerInterruptResponse interrupt(String sessionId, long discardThroughUtteranceId) {
        StreamerInterruptRequest request = StreamerInterruptRequest.newBuilder()
                .setSessionId(sessionId).setDiscardThroughUtteranceId(discardThroughUtteranceId).build();
        return BackendCall.run(description, address, () -> call().interrupt(request));
    }

    @Override
    public void closeSession(String sessionId) {
        BackendCall.run(description, address, () -> call().closeSession(SessionRef.newBuilder().setSessionId(sessionId).build()));
    }

    @Override
    public Runnable watchEvents(StreamObserver<SessionEvent> observer) {
        // A cancellable context detached from any caller: the stream lives as long as the registration, not a request.
        Context.CancellableContext context = Context.ROOT.withCancellation();
        context.run(() -> async.watchEvents(Empty.getDefaultInstance(), observer));
        return () -> context.cancel(null);
    }

    @Override
    public void shutdown() {
        channel.shutdownNow();
    }
}
