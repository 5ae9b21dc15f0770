package io.facecast.signaling.backend;

import com.google.protobuf.ByteString;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererSpeakAudioRequest;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;

/** RendererControl.SpeakAudio as a {@link RendererAudioUpload}. */
final class GrpcAudioUpload implements RendererAudioUpload {

    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private ClientCallStreamObserver<RendererSpeakAudioRequest> call;
    private boolean ended; // guarded by this: after half-close or cancel the call takes nothing more

    private GrpcAudioUpload() {}

    static GrpcAudioUpload open(String peer, String address, RendererControlGrpc.RendererControlStub stub, RendererSpeakAudioStart start) {
        GrpcAudioUpload upload = new GrpcAudioUpload();
        stub.speakAudio(new ClientResponseObserver<RendererSpeakAudioRequest, RendererSpeakResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<RendererSpeakAudioRequest> requests) {
                upload.call = requests;
            }

            @Override
            public void onNext(RendererSpeakResponse value) {}

            @Override
            public void onError(Throwable t) {
                StatusRuntimeException e = t instanceof StatusRuntimeException sre ? sre : Status.fromThrowable(t).asRuntimeException();
                upload.result.completeExceptionally(BackendCall.translate(peer, address, e));
            }

            @Override
            public void onCompleted() {
                upload.result.complete(null);
            }
        });
        upload.call.onNext(RendererSpeakAudioRequest.newBuilder().setStart(start).build());
        return upload;
    }

    @Override
    public synchronized void send(ByteString chunk) {
        if (!ended && !result.isDone()) {
            call.onNext(RendererSpeakAudioRequest.newBuilder().setChunk(chunk).build());
        }
    }

    @Override
    public synchronized void finish() {
        if (!ended && !result.isDone()) {
            ended = true;
            call.onCompleted();
        }
    }

    @Override
    public synchronized void abort(String why) {
        if (!ended && !result.isDone()) {
            ended = true;
            call.cancel(why, null);
        }
    }

    @Override
    public CompletableFuture<Void> result() {
        return result;
    }
}
