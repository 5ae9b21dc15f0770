package io.facecast.client;

import io.facecast.api.v1.SpeakAudioRequest;
import io.facecast.api.v1.SpeakResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;

/**
 * gRPC flow control for one client-streaming upload: the sending thread waits in {@link #awaitReady} until the call
 * is ready (the transport took what was sent: HTTP/2 window and gRPC's own send buffer) or the call ended. Without it,
 * {@code onNext} never blocks and a stalled server would make the client queue the whole upload in memory.
 */
final class UploadFlow {

    /**
     * About what may be in flight while the call is ready: grpc-java reports not ready once 32 KiB are queued above
     * the transport, and the HTTP/2 stream and connection windows (64 KiB by default, up to 1 MiB when Netty's
     * auto-tuning grows them) hold the rest.
     */
    static final int IN_FLIGHT_BOUND_BYTES = 2 << 20;

    private final CompletableFuture<Long> result;
    private ClientCallStreamObserver<SpeakAudioRequest> call;

    UploadFlow(CompletableFuture<Long> result) {
        this.result = result;
        result.whenComplete((id, failure) -> wake());
    }

    ClientResponseObserver<SpeakAudioRequest, SpeakResponse> responses() {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<SpeakAudioRequest> requestStream) {
                synchronized (UploadFlow.this) {
                    call = requestStream;
                }
                requestStream.setOnReadyHandler(UploadFlow.this::wake);
            }

            @Override
            public void onNext(SpeakResponse response) {
                result.complete(response.getUtteranceId());
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(io.grpc.Status.INTERNAL
                        .withDescription("the server ended the upload without an answer").asRuntimeException());
            }
        };
    }

    /** @return true when the next message may be sent; false once the call ended (answer or error) */
    synchronized boolean awaitReady() throws InterruptedException {
        while (!result.isDone() && !call.isReady()) {
            wait(); // woken by onReady or by the end of the call
        }
        return !result.isDone();
    }

    private synchronized void wake() {
        notifyAll();
    }
}
