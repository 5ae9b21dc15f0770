package io.facecast.signaling.relay;

import io.facecast.api.v1.SessionEvent;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * A client's WatchEvents stream. Stats are periodic and superseded by the next one, so they are skipped while the
 * client is not reading; every other event is delivered (gRPC buffers it), because losing a state change or an
 * ICE candidate would break the client.
 */
public final class GrpcEventSink implements EventSink {

    private final ServerCallStreamObserver<SessionEvent> stream;

    public GrpcEventSink(ServerCallStreamObserver<SessionEvent> stream) {
        this.stream = stream;
    }

    @Override
    public void send(SessionEvent event) {
        if (stream.isCancelled()) {
            throw new IllegalStateException("watcher went away");
        }
        if (event.hasStats() && !stream.isReady()) {
            return;
        }
        stream.onNext(event);
    }

    @Override
    public void complete() {
        if (!stream.isCancelled()) {
            stream.onCompleted();
        }
    }
}
