package io.facecast.signaling.relay;

import io.facecast.api.v1.SessionEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;

/**
 * A client's WatchEvents stream: events are queued (bounded) and written only while gRPC says the stream
 * {@link ServerCallStreamObserver#isReady() is ready}, resumed by its onReady handler. A client that stops reading
 * fills the queue and is closed with RESOURCE_EXHAUSTED naming why; nothing is buffered without limit.
 */
public final class GrpcEventSink extends QueuedEventSink {

    private final ServerCallStreamObserver<SessionEvent> stream;

    /** Must be created in the call's handler method (it sets the stream's onReady handler). */
    public GrpcEventSink(String sessionId, ServerCallStreamObserver<SessionEvent> stream, int capacity) {
        this(sessionId, stream, EventWriters.shared(), capacity);
    }

    public GrpcEventSink(String sessionId, ServerCallStreamObserver<SessionEvent> stream, Executor writer, int capacity) {
        super(sessionId, writer, capacity, DEFAULT_WRITE_TIMEOUT_NANOS, System::nanoTime);
        this.stream = stream;
        stream.setOnReadyHandler(this::resume);
    }

    @Override
    protected boolean ready() {
        return stream.isCancelled() || stream.isReady();
    }

    @Override
    protected void write(SessionEvent event) {
        if (stream.isCancelled()) {
            throw new IllegalStateException("watcher went away");
        }
        stream.onNext(event);
    }

    @Override
    protected void endWithStatus(Status status) {
        if (!stream.isCancelled()) {
            stream.onError(status.asRuntimeException());
        }
    }

    @Override
    protected void end(String failure) {
        if (stream.isCancelled()) {
            return;
        }
        if (failure == null) {
            stream.onCompleted();
        } else {
            stream.onError(Status.RESOURCE_EXHAUSTED.withDescription("event stream closed: the client " + failure
                    + "; read events as they come and watch again").asRuntimeException());
        }
    }
}
