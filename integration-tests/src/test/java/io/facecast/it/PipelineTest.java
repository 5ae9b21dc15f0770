package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.internal.v1.StreamerInspection;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole path, for real: renderer, signaling and streamer as three JVMs on loopback sharing a bus directory, and
 * real webrtc-java receivers connected through the public gRPC API. Asserts on what arrives.
 */
class PipelineTest {
    private static final long SECOND = 1_000_000_000L;

    static LocalStack stack;
    static FacecastClient client;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start("pipeline", 1, 4, Duration.ofSeconds(5));
        client = stack.client();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (client != null) client.close();
        if (stack != null) stack.close();
    }

    static final class Receiver {
        final Recording recording = new Recording(0);
        final MouthProbe mouth = MouthProbe.forDefaultAvatar();
        final ReceiverSession session;

        Receiver() {
            recording.addAnalyzer(mouth);
            session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording);
        }
    }

    @Test
    void twoSessionsIdleSpeakAndIdleAgainWithContinuousMedia() throws Exception {
        List<Receiver> receivers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Receiver r = new Receiver();
                receivers.add(r);
                assertTrue(r.session.awaitConnected(Duration.ofSeconds(20)), "peer did not connect:\n" + stack.logs());
            }
            long connected = System.nanoTime();
            Thread.sleep(1000); // real media over a real network: the stream itself is the clock here
            receivers.forEach(r -> r.mouth.arm());
            Thread.sleep(1500);

            String[] texts = {"Hello there. I am the first avatar, and I am talking to you now.",
                    "And I am the second one, speaking at the same time."};
            long[] spoke = new long[2];
            for (int i = 0; i < 2; i++) {
                spoke[i] = System.nanoTime();
                receivers.get(i).session.speak(texts[i]);
            }
            long[][] speech = new long[2][];
            for (int i = 0; i < 2; i++) {
                ReceiverSession s = receivers.get(i).session;
                ReceivedEvent started = s.awaitEvent(SessionEvent::hasSpeechStarted, Duration.ofSeconds(15))
                        .orElseThrow(() -> new AssertionError("no SpeechStarted:\n" + stack.logs()));
                ReceivedEvent finished = s.awaitEvent(SessionEvent::hasSpeechFinished, Duration.ofSeconds(30))
                        .orElseThrow(() -> new AssertionError("no SpeechFinished:\n" + stack.logs()));
                speech[i] = new long[]{started.arrivalNanos(), finished.arrivalNanos()};
                assertEquals(texts[i], started.event().getSpeechStarted().getText());
                assertTrue(finished.event().getSpeechFinished().getDurationMs() > 1500,
                        "utterance lasted " + finished.event().getSpeechFinished().getDurationMs() + " ms");
            }
            // Idle again after speech, and long enough to observe 10 s of the session.
            long lastFinish = Math.max(speech[0][1], speech[1][1]);
            long end = Math.max(lastFinish + 2500 * 1_000_000L, connected + 11 * SECOND);
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));

            for (int i = 0; i < 2; i++) {
                Receiver r = receivers.get(i);
                // Continuous video: at least 25 fps over 10 s of the session, through idle and speech alike.
                long windowStart = connected + SECOND / 2;
                long frames = r.recording.frameInfos().stream()
                        .filter(f -> f.arrivalNanos() >= windowStart && f.arrivalNanos() < windowStart + 10 * SECOND).count();
                assertTrue(end - windowStart >= 10 * SECOND, "observation window too short");
                assertTrue(frames >= 250, "session " + i + ": " + frames + " frames in 10 s");
                assertEquals(512, r.recording.frameInfos().get(0).width());

                // Audio all along: one 10 ms chunk per 10 ms (allowing for jitter at the ends).
                AudioProbe audio = new AudioProbe(r.recording);
                int chunks = audio.chunksBetween(windowStart, windowStart + 10 * SECOND);
                assertTrue(chunks >= 900, "session " + i + ": " + chunks + " audio chunks in 10 s");

                long start = speech[i][0], finish = speech[i][1];
                // The mouth moves while it speaks and is still while silent.
                double speaking = r.mouth.maxActivity(start + SECOND / 5, finish - SECOND / 5);
                double before = r.mouth.maxActivity(connected + SECOND + SECOND / 5, spoke[i]);
                double after = r.mouth.maxActivity(finish + SECOND / 2, end);
                assertTrue(speaking > 8, "session " + i + ": mouth activity while speaking " + speaking);
                assertTrue(before < 3 && after < 3, "session " + i + ": mouth activity while silent " + before + " / " + after);

                // The received audio's energy follows the utterance.
                double speechRms = audio.rms(start + SECOND / 5, finish - SECOND / 5);
                double silenceBefore = audio.rms(connected + SECOND, spoke[i]);
                double silenceAfter = audio.rms(finish + SECOND / 2, end);
                assertTrue(speechRms > 300, "session " + i + ": speech RMS " + speechRms);
                assertTrue(silenceBefore < 30 && silenceAfter < 30,
                        "session " + i + ": silence RMS " + silenceBefore + " / " + silenceAfter);

                long firstSpeechFrame = r.mouth.firstActiveAfter(spoke[i], 1.5);
                System.out.printf("[figures] session %d: speak -> first speech frame received %.0f ms; "
                                + "speak -> SpeechStarted %.0f ms; fps over 10 s %.1f; speech RMS %.0f, silence RMS %.1f/%.1f; "
                                + "mouth activity speaking %.1f, silent %.2f/%.2f%n",
                        i, (firstSpeechFrame - spoke[i]) / 1e6, (start - spoke[i]) / 1e6, frames / 10.0,
                        speechRms, silenceBefore, silenceAfter, speaking, before, after);
            }
        } finally {
            receivers.forEach(r -> r.session.close());
        }
        // Closing frees each session's peer connection and bus subscription on the streamer.
        StreamerInspection inspection = awaitStreamerEmpty();
        assertEquals(0, inspection.getSessions(), inspection.toString());
        assertEquals(0, inspection.getPeerConnections(), inspection.toString());
        assertEquals(0, inspection.getBusSubscriptions(), inspection.toString());
        assertTrue(inspection.getBusRecordsRead() > 0, inspection.toString());
    }

    static StreamerInspection awaitStreamerEmpty() throws InterruptedException, java.io.IOException {
        ManagedChannel ch = stack.streamerControlAsSignaling(1);
        try {
            var stub = StreamerControlGrpc.newBlockingStub(ch);
            StreamerInspection last = null;
            for (int i = 0; i < 50; i++) {
                last = stub.withDeadlineAfter(5, TimeUnit.SECONDS).inspect(Empty.getDefaultInstance());
                if (last.getSessions() == 0) return last;
                Thread.sleep(100);
            }
            return last;
        } finally {
            ch.shutdownNow();
        }
    }
}
