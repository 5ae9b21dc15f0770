package io.facecast.signaling.backend;

import com.google.protobuf.ByteString;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererSpeakAudioRequest;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakResponse;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;

/**
 * RendererControl.SpeakAudio as a {@link RendererAudioUpload}. Flow control: {@link #whenReady} waits for the call's
 * {@code isReady()} (the renderer requests one message at a time, and only while its intake has room), so at most
 * about one transport buffer (32 KiB) plus one chunk per upload is ever held in signaling.
 */
final class GrpcAudioUpload implements RendererAudioUpload {

    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private ClientCallStreamObserver<RendererSpeakAudioRequest> call;
    private boolean ended; // guarded by this: after half-close or cancel the call takes nothing more
    private Runnable waiting; // guarded by this: the relay's request for the next client message, until ready

    private GrpcAudioUpload() {}

    static GrpcAudioUpload open(String peer, String address, RendererControlGrpc.RendererControlStub stub, RendererSpeakAudioStart start) {
        GrpcAudioUpload upload = new GrpcAudioUpload();
        Deadline deadline = stub.getCallOptions().getDeadline();
        stub.speakAudio(new ClientResponseObserver<RendererSpeakAudioRequest, RendererSpeakResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<RendererSpeakAudioRequest> requests) {
                upload.call = requests;
                requests.setOnReadyHandler(upload::onReady);
            }

            @Override
            public void onNext(RendererSpeakResponse value) {}

            @Override
            public void onError(Throwable t) {
                StatusRuntimeException e = t instanceof StatusRuntimeException sre ? sre : Status.fromThrowable(t).asRuntimeException();
                upload.result.completeExceptionally(stalledByClient(e, deadline) ? e : BackendCall.translate(peer, address, e));
            }

            @Override
            public void onCompleted() {
                upload.result.complete(null);
            }
        });
        upload.call.onNext(RendererSpeakAudioRequest.newBuilder().setStart(start).build());
        return upload;
    }

    /**
     * DEADLINE_EXCEEDED while this call's own deadline is still ahead is the renderer's verdict on the client: the
     * upload sent nothing for the renderer's idle timeout (20 s). That is the client's doing, so it passes through
     * with the renderer's message instead of becoming "renderer unavailable". Only when the call's own deadline ran
     * out is it the renderer that did not answer.
     */
    static boolean stalledByClient(StatusRuntimeException e, Deadline deadline) {
        return e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED && e.getStatus().getDescription() != null
                && (deadline == null || !deadline.isExpired());
    }

    @Override
    public void whenReady(Runnable next) {
        synchronized (this) {
            if (!ended && !result.isDone() && !call.isReady()) {
                waiting = next;
                return;
            }
        }
        next.run();
    }

    private void onReady() {
        Runnable next;
        synchronized (this) {
            if (waiting == null || !call.isReady()) {
                return;
            }
            next = waiting;
            waiting = null;
        }
        next.run();
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
