package io.facecast.it;

import io.facecast.api.v1.AudioFormat;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SpeakAudioStart;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Supplied audio through the real stack: a client streams 16 kHz PCM in real time (as a live TTS would) through
 * signaling's SpeakAudio; the renderer lip-syncs it from the signal and the streamer plays it to a real WebRTC
 * receiver. Then a broken upload is refused precisely and the session speaks on.
 */
class SpeakAudioPipelineTest {
    private static final long MS = 1_000_000L;
    private static final int RATE = 16000;
    private static final int CHUNK_MS = 40;

    static LocalStack stack;
    static FacecastClient client;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start("speak-audio", 1, 2, Duration.ofSeconds(5));
        client = stack.client();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (client != null) client.close();
        if (stack != null) stack.close();
    }

    /** Syllable-like bursts of a voiced sound: 200 ms on, 100 ms off, for {@code ms}. */
    static short[] speechLike(int ms) {
        short[] out = new short[RATE * ms / 1000];
        for (int i = 0; i < out.length; i++) {
            boolean on = (i * 1000L / RATE) % 300 < 200;
            double t = (double) i / RATE;
            out[i] = on ? (short) (6000 * Math.sin(2 * Math.PI * 140 * t) + 5000 * Math.sin(2 * Math.PI * 650 * t)) : 0;
        }
        return out;
    }

    /** Hands out {@code pcm} in 40 ms chunks, no faster than real time (the way a live voice pipeline delivers). */
    static final class RealTimeChunks implements Iterator<byte[]> {
        final byte[] bytes;
        final int chunkBytes = RATE * CHUNK_MS / 1000 * 2;
        int at;
        long firstSentNanos;

        RealTimeChunks(short[] pcm) {
            ByteBuffer b = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (short s : pcm) b.putShort(s);
            bytes = b.array();
        }

        @Override public boolean hasNext() { return at < bytes.length; }

        @Override
        public byte[] next() {
            if (!hasNext()) throw new NoSuchElementException();
            long now = System.nanoTime();
            if (firstSentNanos == 0) {
                firstSentNanos = now;
            } else {
                long due = firstSentNanos + (long) (at / chunkBytes) * CHUNK_MS * MS;
                if (due > now) {
                    try {
                        Thread.sleep((due - now) / MS); // the audio source's own pace: nothing to inject a clock into
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunkBytes));
            at += chunk.length;
            return chunk;
        }
    }

    @Test
    void streamedAudioIsLipSyncedAndPlayedAndBadAudioIsRefusedWithoutHarm() throws Exception {
        Recording recording = new Recording(0);
        MouthProbe mouth = MouthProbe.forDefaultAvatar();
        recording.addAnalyzer(mouth);
        try (ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording)) {
            assertTrue(session.awaitConnected(Duration.ofSeconds(20)), "peer did not connect:\n" + stack.logs());
            Thread.sleep(1000); // real media over a real network: the stream itself is the clock here
            mouth.arm();
            Thread.sleep(500);

            RealTimeChunks chunks = new RealTimeChunks(speechLike(2100));
            long id = client.speakAudio(session.sessionId(), SpeakAudioStart.newBuilder().setText("my own voice")
                    .setPcm(AudioFormat.newBuilder().setSampleRate(RATE).setChannels(1)).build(), chunks);
            long sent = chunks.firstSentNanos;
            ReceivedEvent started = session.awaitEvent(SessionEvent::hasSpeechStarted, Duration.ofSeconds(10))
                    .orElseThrow(() -> new AssertionError("no SpeechStarted:\n" + stack.logs()));
            ReceivedEvent finished = session.awaitEvent(SessionEvent::hasSpeechFinished, Duration.ofSeconds(10))
                    .orElseThrow(() -> new AssertionError("no SpeechFinished:\n" + stack.logs()));
            assertEquals(id, started.event().getSpeechStarted().getUtteranceId());
            assertEquals("my own voice", started.event().getSpeechStarted().getText());
            long durationMs = finished.event().getSpeechFinished().getDurationMs();
            assertEquals(2200, durationMs, 120, "2.1 s of audio plus the 100 ms closing pad");
            Thread.sleep(800);

            long from = started.arrivalNanos() + 200 * MS, to = finished.arrivalNanos() - 200 * MS;
            double speaking = mouth.maxActivity(from, to);
            double after = mouth.maxActivity(finished.arrivalNanos() + 400 * MS, System.nanoTime());
            // Silence measures ~0.1 (codec noise); an audio-driven mouth cross-fading the pack's viseme images
            // measures 7-10 on this signal. 4 is far above the noise and below every opening we saw.
            assertTrue(speaking > 4, "mouth activity while speaking " + speaking);
            assertTrue(after < 3, "mouth activity after speech " + after);
            double rms = new AudioProbe(recording).rms(from, to);
            assertTrue(rms > 1000, "the supplied audio is what plays: RMS " + rms);

            // A broken upload is refused with a precise status; the session speaks on.
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.speakAudio(session.sessionId(),
                    SpeakAudioStart.newBuilder().setWav(true).build(), List.of("OggS not a wav file".getBytes()).iterator()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("not a WAV file"), e.getStatus().getDescription());
            long next = session.speak("Still here.");
            assertTrue(next > id);
            session.awaitEvent(ev -> ev.hasSpeechFinished() && ev.getSpeechFinished().getUtteranceId() == next, Duration.ofSeconds(15))
                    .orElseThrow(() -> new AssertionError("text after a refused upload was not spoken:\n" + stack.logs()));

            long firstFrame = mouth.firstActiveAfter(sent, 1.5);
            System.out.printf("[figures] supplied audio (40 ms chunks, real time): first chunk sent -> SpeechStarted %.0f ms,"
                            + " -> first speech frame received %.0f ms (includes the streamer's 300 ms start lead);"
                            + " mouth activity %.1f speaking / %.2f after; RMS %.0f%n",
                    (started.arrivalNanos() - sent) / 1e6, (firstFrame - sent) / 1e6, speaking, after, rms);
        }
    }
}
