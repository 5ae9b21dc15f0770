package io.facecast.renderer.control;

import io.facecast.internal.v1.RendererSpeakAudioRequest;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakResponse;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.session.AudioUpload;
import io.facecast.renderer.session.RenderSessions;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SpeakAudio call: the start message opens the utterance, chunks feed it, the end of the call finishes it. The
 * first error answers the call; the utterance then ends with what it had (the session carries on).
 */
final class AudioUploadObserver implements StreamObserver<RendererSpeakAudioRequest> {
    private static final Logger log = LoggerFactory.getLogger(AudioUploadObserver.class);
    private final RenderSessions sessions;
    private final StreamObserver<RendererSpeakResponse> out;
    private AudioUpload upload;
    private boolean answered;

    AudioUploadObserver(RenderSessions sessions, StreamObserver<RendererSpeakResponse> out) {
        this.sessions = sessions;
        this.out = out;
    }

    @Override
    public void onNext(RendererSpeakAudioRequest req) {
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
        }
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
    public void onError(Throwable t) {
        if (upload != null) {
            upload.abort();
        }
        answered = true;
    }

    @Override
    public void onCompleted() {
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
        answered = true;
        if (upload != null) {
            upload.abort();
        }
        if (e instanceof RendererException re) {
            out.onError(Status.fromCode(re.code()).withDescription(re.getMessage()).asRuntimeException());
        } else {
            log.error("SpeakAudio failed", e);
            out.onError(Status.INTERNAL.withDescription("renderer failed: " + e.getClass().getSimpleName()).asRuntimeException());
        }
    }
}
