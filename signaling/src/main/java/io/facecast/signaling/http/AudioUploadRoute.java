package io.facecast.signaling.http;

import com.google.protobuf.ByteString;
import io.facecast.api.v1.AudioFormat;
import io.facecast.api.v1.SpeakAudioStart;
import io.facecast.api.v1.SpeakResponse;
import io.facecast.signaling.session.SessionManager;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/sessions/{id}/audio}: the SpeakAudio path for browsers. The request body (chunked or not) is
 * forwarded to the renderer in {@link #CHUNK_BYTES} pieces as it arrives, so the avatar starts speaking before the
 * upload ends. Content types: {@code audio/wav} (also audio/x-wav, audio/wave, audio/vnd.wave) for a WAV file, or
 * {@code audio/pcm;rate=16000;channels=1} for raw s16le PCM. {@code ?text=} is the caption. Answers
 * {@code {"utteranceId"}} once the renderer accepted the whole upload; a renderer refusal (bad WAV, over a limit)
 * is the usual JSON error, and what was accepted before it is still spoken.
 */
final class AudioUploadRoute {
    static final int CHUNK_BYTES = 32 * 1024;
    private static final Pattern PARAM = Pattern.compile(";\\s*(rate|channels)\\s*=\\s*(\\d{1,6})");
    /** How long the renderer may take to answer after the last byte (it answers once the upload is accepted). */
    private static final long ANSWER_SECONDS = 30;

    private final SessionManager sessions;

    AudioUploadRoute(SessionManager sessions) {
        this.sessions = sessions;
    }

    void handle(Exchange exchange, String sessionId) throws IOException {
        SpeakAudioStart.Builder start = SpeakAudioStart.newBuilder().setSessionId(sessionId);
        String type = exchange.header("Content-Type");
        String lower = type == null ? "" : type.toLowerCase(Locale.ROOT).strip();
        String base = lower.split(";", 2)[0].strip();
        switch (base) {
            case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave" -> start.setWav(true);
            case "audio/pcm" -> {
                int rate = 0, channels = 1;
                Matcher m = PARAM.matcher(lower);
                while (m.find()) {
                    if (m.group(1).equals("rate")) rate = Integer.parseInt(m.group(2));
                    else channels = Integer.parseInt(m.group(2));
                }
                if (rate == 0) {
                    throw HttpProblem.badRequest("audio/pcm needs its rate, e.g. audio/pcm;rate=16000;channels=1 (s16le)");
                }
                start.setPcm(AudioFormat.newBuilder().setSampleRate(rate).setChannels(channels));
            }
            default -> throw HttpProblem.unsupportedMediaType(type, "audio/wav or audio/pcm;rate=R;channels=C");
        }
        String caption = exchange.query("text");
        if (caption != null) {
            start.setText(caption);
        }
        SessionManager.AudioUtterance utterance = sessions.speakAudio(start.build());
        try (InputStream in = exchange.requestBody()) {
            byte[] buffer = new byte[CHUNK_BYTES];
            while (!utterance.upload().result().isDone()) {
                int n = in.readNBytes(buffer, 0, buffer.length);
                if (n > 0) {
                    utterance.upload().send(ByteString.copyFrom(buffer, 0, n));
                }
                if (n < buffer.length) {
                    break; // end of the body
                }
            }
        } catch (IOException e) {
            utterance.upload().abort("the HTTP upload broke off: " + e.getMessage());
            throw e;
        }
        utterance.upload().finish();
        try {
            utterance.upload().result().get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : Status.INTERNAL.withDescription("audio upload failed").asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("the renderer did not confirm the audio in "
                    + ANSWER_SECONDS + " s").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusRuntimeException(Status.CANCELLED);
        }
        exchange.send(200, SessionApiHandler.JSON, ProtoJson.print(SpeakResponse.newBuilder()
                .setUtteranceId(utterance.utteranceId()).build()));
    }
}
