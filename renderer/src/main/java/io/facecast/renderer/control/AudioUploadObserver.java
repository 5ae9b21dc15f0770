package io.facecast.renderer.control;

import io.facecast.errors.Errors;
import io.facecast.internal.v1.RendererSpeakAudioRequest;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakResponse;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.session.AudioUpload;
import io.facecast.renderer.session.RenderSessions;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SpeakAudio call: the start message opens the utterance, chunks feed it, the end of the call finishes it. The
 * first error answers the call; the utterance then ends with what it had (the session carries on).
 */
final class AudioUploadObserver implements StreamObserver<RendererSpeakAudioRequest> {
    private static final Logger log = LoggerFactory.getLogger(AudioUploadObserver.class);
    /** An upload that sends nothing for this long while the renderer waits for it is ended with what arrived. */
    static final long IDLE_TIMEOUT_MS = 20_000;
    private static final ScheduledExecutorService IDLE_CHECKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "renderer-upload-idle");
        thread.setDaemon(true);
        return thread;
    });

    private final RenderSessions sessions;
    private final StreamObserver<RendererSpeakResponse> out;
    /** Null when the caller gave a plain observer (tests): then gRPC requests messages by itself. */
    private final ServerCallStreamObserver<RendererSpeakResponse> call;
    private final long idleTimeoutMs;
    private AudioUpload upload;
    private volatile boolean answered;
    private volatile long lastMessageNanos = System.nanoTime();
    private volatile boolean awaitingClient;
    private ScheduledFuture<?> idleCheck;

    AudioUploadObserver(RenderSessions sessions, StreamObserver<RendererSpeakResponse> out) {
        this(sessions, out, IDLE_TIMEOUT_MS);
    }

    /**
     * Flow control: with a server call, messages are requested one at a time, and the next only once the upload has
     * room for it, so a sender faster than rendering is held back by gRPC instead of being buffered here.
     */
    AudioUploadObserver(RenderSessions sessions, StreamObserver<RendererSpeakResponse> out, long idleTimeoutMs) {
        this.sessions = sessions;
        this.out = out;
        this.idleTimeoutMs = idleTimeoutMs;
        this.call = out instanceof ServerCallStreamObserver<RendererSpeakResponse> c ? c : null;
        if (call != null) {
            call.disableAutoRequest();
            requestNext();
        }
        idleCheck = IDLE_CHECKS.scheduleWithFixedDelay(this::checkIdle, idleTimeoutMs / 4, idleTimeoutMs / 4, TimeUnit.MILLISECONDS);
    }

    private void requestNext() {
        if (call != null && !answered) {
            awaitingClient = true;
            lastMessageNanos = System.nanoTime();
            call.request(1);
        }
    }

    /** Asks for the next message now if the upload has room, else when the render thread frees some. */
    private void requestWhenRoom() {
        if (call == null || answered) {
            return;
        }
        if (upload == null || upload.hasRoom(this::requestNext)) {
            requestNext();
        }
    }

    private void checkIdle() {
        if (answered) {
            idleCheck.cancel(false);
            return;
        }
        if ((awaitingClient || call == null) && System.nanoTime() - lastMessageNanos > idleTimeoutMs * 1_000_000) {
            synchronized (this) {
                if (answered) {
                    return;
                }
                log.info("SpeakAudio upload idle for {} ms; ending it with what arrived", idleTimeoutMs);
                fail(new RendererException(io.grpc.Status.Code.DEADLINE_EXCEEDED, stalledMessage(idleTimeoutMs)));
            }
        }
    }

    /** What the client reads (signaling passes it through): the upload sent nothing while it was asked for more. */
    static String stalledMessage(long idleTimeoutMs) {
        String idle = idleTimeoutMs % 1000 == 0 ? idleTimeoutMs / 1000 + " s" : idleTimeoutMs + " ms";
        return "SpeakAudio upload stalled: no message for " + idle + "; the utterance was ended with the audio "
                + "received so far; send chunks without long pauses and end the stream when done";
    }

    @Override
    public synchronized void onNext(RendererSpeakAudioRequest req) {
        awaitingClient = false;
        lastMessageNanos = System.nanoTime();
        if (answered) {
            return;
        }
        try {
            switch (req.getMessageCase()) {
                case START -> start(req.getStart());
                case CHUNK -> {
                    if (upload == null) {
                        throw RendererException.invalid("the first SpeakAudio message must be the start (session, utterance, format), not a chunk");
                    }
                    upload.accept(req.getChunk().toByteArray());
                }
                default -> throw RendererException.invalid("SpeakAudio message carries neither a start nor a chunk");
            }
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        requestWhenRoom();
    }

    private void start(RendererSpeakAudioStart start) {
        if (upload != null) {
            throw RendererException.invalid("SpeakAudio got a second start message; send one start, then only chunks");
        }
        boolean wav = start.getEncodingCase() == RendererSpeakAudioStart.EncodingCase.WAV && start.getWav();
        if (!wav && start.getEncodingCase() != RendererSpeakAudioStart.EncodingCase.PCM) {
            throw RendererException.invalid("SpeakAudio start needs the audio encoding: a PCM format (sample_rate, channels) or wav=true");
        }
        upload = sessions.speakAudio(start.getSessionId(), start.getUtteranceId(), wav,
                start.getPcm().getSampleRate(), start.getPcm().getChannels(), start.getText());
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (upload != null) {
            upload.abort();
        }
        answered = true;
    }

    @Override
    public synchronized void onCompleted() {
        if (answered) {
            return;
        }
        try {
            if (upload == null) {
                throw RendererException.invalid("SpeakAudio ended without a start message");
            }
            upload.finish();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        answered = true;
        out.onNext(RendererSpeakResponse.getDefaultInstance());
        out.onCompleted();
    }

    private void fail(RuntimeException e) {
        if (answered) {
            return;
        }
        answered = true;
        if (upload != null) {
            upload.abort();
        }
        out.onError(Errors.toStatus("RendererControl.SpeakAudio", "renderer", e));
    }
}
