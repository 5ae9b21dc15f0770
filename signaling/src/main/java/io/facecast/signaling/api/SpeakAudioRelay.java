package io.facecast.signaling.api;

import io.facecast.errors.Errors;
import io.facecast.api.v1.SpeakAudioRequest;
import io.facecast.api.v1.SpeakResponse;
import io.facecast.signaling.session.SessionManager;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One Facecast.SpeakAudio call relayed to the renderer: the start message assigns the utterance id and opens the
 * renderer's stream, chunks pass through as they come, and the call is answered with the utterance id once the
 * renderer accepted the whole upload, or with the renderer's error as soon as it refuses (later chunks are dropped).
 *
 * <p>Flow control, end to end: the client's messages are requested one at a time, and the next only once the
 * renderer's stream is ready for more ({@link io.facecast.signaling.backend.RendererAudioUpload#whenReady}); the
 * renderer in turn asks only while its intake has room (5 s of audio). A client pushing faster than the renderer
 * renders is therefore held back by gRPC's flow control, and nothing accumulates in signaling.
 */
final class SpeakAudioRelay implements StreamObserver<SpeakAudioRequest> {

    private final SessionManager sessions;
    private final StreamObserver<SpeakResponse> response;
    private final java.util.function.Consumer<String> allow;
    /** Null when the caller gave a plain observer (tests): then gRPC requests messages by itself. */
    private final ServerCallStreamObserver<SpeakResponse> call;
    private SessionManager.AudioUtterance utterance;
    private boolean answered; // guarded by this: the renderer's answer arrives on another thread

    SpeakAudioRelay(SessionManager sessions, StreamObserver<SpeakResponse> response) {
        this(sessions, response, id -> {});
    }

    /** @param allow throws (PERMISSION_DENIED) when the caller may not use the start message's session */
    SpeakAudioRelay(SessionManager sessions, StreamObserver<SpeakResponse> response, java.util.function.Consumer<String> allow) {
        this.sessions = sessions;
        this.response = response;
        this.allow = allow;
        this.call = response instanceof ServerCallStreamObserver<SpeakResponse> c ? c : null;
        if (call != null) {
            call.disableAutoRequest();
            call.request(1); // the start
        }
    }

    private void requestNext() {
        if (call != null && !isAnswered()) {
            call.request(1);
        }
    }

    @Override
    public void onNext(SpeakAudioRequest request) {
        if (isAnswered()) {
            return;
        }
        try {
            switch (request.getMessageCase()) {
                case START -> {
                    if (utterance != null) {
                        throw invalid("SpeakAudio got a second start message; send one start, then only chunks");
                    }
                    allow.accept(request.getStart().getSessionId());
                    utterance = sessions.speakAudio(request.getStart());
                    long id = utterance.utteranceId();
                    utterance.upload().result().whenComplete((ok, error) -> {
                        if (error != null) {
                            fail(error instanceof RuntimeException re ? re : Status.INTERNAL.withCause(error).asRuntimeException());
                        } else {
                            answer(id);
                        }
                    });
                    utterance.upload().whenReady(this::requestNext);
                }
                case CHUNK -> {
                    if (utterance == null) {
                        throw invalid("the first SpeakAudio message must be a start (session_id and format), not a chunk");
                    }
                    utterance.upload().send(request.getChunk());
                    utterance.upload().whenReady(this::requestNext);
                }
                default -> throw invalid("SpeakAudio message carries neither a start nor a chunk");
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            answered = true;
        }
        if (utterance != null) {
            utterance.upload().abort("client cancelled SpeakAudio");
        }
    }

    @Override
    public void onCompleted() {
        if (isAnswered()) {
            return;
        }
        if (utterance == null) {
            fail(invalid("SpeakAudio ended without a start message"));
            return;
        }
        utterance.upload().finish(); // the renderer's answer completes the call
    }

    private synchronized boolean isAnswered() {
        return answered;
    }

    private synchronized void answer(long utteranceId) {
        if (answered) {
            return;
        }
        answered = true;
        response.onNext(SpeakResponse.newBuilder().setUtteranceId(utteranceId).build());
        response.onCompleted();
    }

    private void fail(RuntimeException e) {
        synchronized (this) {
            if (answered) {
                return;
            }
            answered = true;
            response.onError(Errors.toStatus("SpeakAudio", "signaling", e));
        }
        if (utterance != null) {
            utterance.upload().abort("SpeakAudio failed");
        }
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
