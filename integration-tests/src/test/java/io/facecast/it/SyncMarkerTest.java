package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.facecast.client.analysis.AudioPlayoutClock;
import io.facecast.client.analysis.FlashDetector;
import io.facecast.client.analysis.SyncMarkerAnalysis;
import io.facecast.client.analysis.ToneBurstDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Lip-sync proven where it matters, at a real WebRTC receiver: the renderer places sync markers (a white mouth frame
 * and a 1 kHz tone burst at the same media time, once a second); the receiver finds both in what it was handed for
 * display and playout, and every marker's audio-minus-video skew must be within +-40 ms. And interruption: speech
 * leaves what the receiver plays within 40 ms of the request (plus the receiver's own buffering, measured in the same
 * run), and the next utterance plays.
 */
class SyncMarkerTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    /** The tolerance the issue sets for every marker (EBU R37 is +40/-60 ms; we hold both sides to 40). */
    private static final double MAX_SKEW_MS = 40;
    /** No commas: FreeTTS pauses at them, and the interrupt test wants speech going on when it cuts. */
    static final String LONG_TEXT = "This sentence is spoken with sync markers so that a receiver can measure the lip sync"
            + " of the avatar once every second while it keeps talking for quite a few seconds in a row";

    static LocalStack stack;
    static FacecastClient client;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start("sync-markers", 1, 4, Duration.ofSeconds(5));
        client = FacecastClient.connect(stack.signalingTarget);
        StackReadiness.awaitStreamerRegistered(client, stack);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (client != null) client.close();
        if (stack != null) stack.close();
    }

    /** A receiver that measures markers as frames arrive. */
    static final class MarkerReceiver implements AutoCloseable {
        final Recording recording = new Recording(0);
        final FlashDetector flashes = new FlashDetector();
        final ReceiverSession session;

        MarkerReceiver(FacecastClient client) {
            recording.addAnalyzer(flashes);
            session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording);
        }

        @Override
        public void close() {
            session.close();
        }
    }

    @Test
    void everyMarkerOfTwoConcurrentSessionsArrivesWithin40Ms() throws Exception {
        List<MarkerReceiver> receivers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                MarkerReceiver r = new MarkerReceiver(client);
                receivers.add(r);
                assertTrue(r.session.awaitConnected(Duration.ofSeconds(20)), "peer did not connect:\n" + stack.logs());
            }
            Thread.sleep(1000); // let the receivers' jitter buffers and A/V sync settle on live media
            long[] ids = new long[2];
            for (int i = 0; i < 2; i++) {
                ids[i] = receivers.get(i).session.speak(LONG_TEXT, true);
            }
            for (int i = 0; i < 2; i++) {
                MarkerReceiver r = receivers.get(i);
                long id = ids[i];
                ReceivedEvent started = r.session.awaitEvent(e -> e.hasSpeechStarted()
                        && e.getSpeechStarted().getUtteranceId() == id, Duration.ofSeconds(20))
                        .orElseThrow(() -> new AssertionError("no SpeechStarted:\n" + stack.logs()));
                ReceivedEvent finished = r.session.awaitEvent(e -> e.hasSpeechFinished()
                        && e.getSpeechFinished().getUtteranceId() == id, Duration.ofSeconds(60))
                        .orElseThrow(() -> new AssertionError("no SpeechFinished:\n" + stack.logs()));
                Thread.sleep(1000); // the tail of the utterance is still in the receiver's buffers

                long durationMs = finished.event().getSpeechFinished().getDurationMs();
                int fps = r.session.session().getVideo().getFps() == 0 ? 30 : r.session.session().getVideo().getFps();
                long frames = durationMs * fps / 1000;
                long expected = (frames + fps - 1) / fps; // marker frames j = 0, fps, 2 fps, ... below `frames`
                SyncMarkerAnalysis.Result result = SyncMarkerAnalysis.analyze(r.recording, r.flashes);
                List<SyncMarkerAnalysis.Marker> markers = result.between(started.arrivalNanos() - SECOND,
                        finished.arrivalNanos() + SECOND);
                double[] skews = markers.stream().mapToDouble(SyncMarkerAnalysis.Marker::skewMillis).toArray();
                System.out.printf("[figures] sync session %d: %d ms utterance, %d/%d markers, skew ms %s; p50 %.1f max|%.1f|;"
                                + " unpaired flashes %d bursts %d%n", i, durationMs, markers.size(), expected,
                        Arrays.toString(Arrays.stream(skews).map(s -> Math.round(s * 10) / 10.0).toArray()),
                        SyncMarkerAnalysis.percentile(skews, 50), result.maxAbsSkewMillis(),
                        result.unpairedFlashNanos().size(), result.unpairedBurstNanos().size());
                System.out.printf("[figures] sync session %d: render time - arrival of flash frames, ms %s%n", i,
                        r.flashes.flashes().stream().map(f -> Math.round((f.shownNanos() - f.arrivalNanos()) / 1e5) / 10.0).toList());
                assertTrue(expected >= 5, "the utterance is too short for the test: " + durationMs + " ms");
                assertEquals(expected, markers.size(), "markers found (both halves) of session " + i + ": " + result);
                assertEquals(List.of(), result.unpairedFlashNanos(), "flashes without a burst: " + result);
                assertEquals(List.of(), result.unpairedBurstNanos(), "bursts without a flash: " + result);
                for (SyncMarkerAnalysis.Marker m : markers) {
                    assertTrue(Math.abs(m.skewMillis()) <= MAX_SKEW_MS,
                            "session " + i + ": marker skew " + m.skewMillis() + " ms in " + Arrays.toString(skews));
                }
            }
        } finally {
            receivers.forEach(MarkerReceiver::close);
        }
    }

    /**
     * Interrupt: the receiver must stop playing speech within 40 ms of the request plus the receiver's own delay (its
     * jitter buffer and A/V sync hold every sample a while before playout; that delay is not the sender's doing).
     * The receiver delay is measured in the same run, from below: the first marker of the utterance is pushed when
     * the streamer fires SpeechStarted, so {@code burst-0 playout - SpeechStarted arrival} is the push-to-playout
     * delay minus the event's own relay latency, i.e. never more than the true delay. The bound is therefore
     * strict. The streamer's {@code interrupted} event must come back inside the same 40 ms (it fires when the
     * scheduler has cut; it also has to travel back, so this too only overestimates the cut time).
     */
    @Test
    void interruptSilencesSpeechWithin40MsAndTheNextUtterancePlays() throws Exception {
        try (MarkerReceiver r = new MarkerReceiver(client)) {
            assertTrue(r.session.awaitConnected(Duration.ofSeconds(20)), "peer did not connect:\n" + stack.logs());
            Thread.sleep(1000);
            long id = r.session.speak(LONG_TEXT, true);
            ReceivedEvent started = r.session.awaitEvent(e -> e.hasSpeechStarted()
                    && e.getSpeechStarted().getUtteranceId() == id, Duration.ofSeconds(20))
                    .orElseThrow(() -> new AssertionError("no SpeechStarted:\n" + stack.logs()));
            Thread.sleep(2300); // mid-word, 2.3 s into the sentence
            long requested = System.nanoTime();
            long cut = r.session.interrupt();
            long returned = System.nanoTime();
            assertEquals(id, cut, "the interrupt cut the utterance on air");
            ReceivedEvent interrupted = r.session.awaitEvent(e -> e.hasInterrupted(), Duration.ofSeconds(5))
                    .orElseThrow(() -> new AssertionError("no Interrupted event:\n" + stack.logs()));
            Thread.sleep(1500);

            // Receiver delay from below: burst 0 (media time of SpeechStarted) played at...
            Recording rec = r.recording;
            byte[] pcm = rec.audioPcm();
            int rate = rec.audioSampleRate();
            List<Long> arrivals = rec.audioChunkArrivals();
            int perChunk = AudioPlayoutClock.samplesPerChunk(pcm.length / 2, arrivals.size(), rate);
            AudioPlayoutClock playout = new AudioPlayoutClock(arrivals, rate, perChunk, 50);
            long burst0 = ToneBurstDetector.detect(pcm, rate).stream().mapToLong(b -> playout.playoutNanos(b.onsetSample()))
                    .filter(t -> t >= started.arrivalNanos() - SECOND).findFirst()
                    .orElseThrow(() -> new AssertionError("the first marker's tone burst did not arrive"));
            long receiverDelay = Math.max(0, burst0 - started.arrivalNanos());

            // Last played 10 ms of speech (RMS over 200) after the request.
            long lastSpeechEnd = Long.MIN_VALUE;
            long speechBefore = 0;
            for (int c = 0; c < arrivals.size(); c++) {
                long t = playout.playoutNanos((double) c * perChunk);
                double rms = rms(pcm, c * perChunk, perChunk);
                if (rms > 200 && t >= requested - 500 * MS + receiverDelay && t < requested + receiverDelay) {
                    speechBefore++;
                }
                if (rms > 200 && t >= requested && t < requested + SECOND) {
                    lastSpeechEnd = t + playout.chunkNanos();
                }
            }
            double stopMs = (Math.max(lastSpeechEnd, requested) - requested) / 1e6;
            double eventMs = (interrupted.arrivalNanos() - requested) / 1e6;
            System.out.printf("[figures] interrupt: rpc %.1f ms, Interrupted event %.1f ms after request (media %d ms,"
                            + " position %d ms); last speech played %.1f ms after request; receiver delay >= %.1f ms%n",
                    (returned - requested) / 1e6, eventMs, interrupted.event().getInterrupted().getMediaTimeMs(),
                    interrupted.event().getInterrupted().getPositionMs(), stopMs, receiverDelay / 1e6);
            assertTrue(speechBefore >= 10, "no speech was playing when the interrupt came (" + speechBefore
                    + " chunks in the 500 ms before): the test proves nothing");
            assertEquals(id, interrupted.event().getInterrupted().getUtteranceId());
            assertTrue(interrupted.event().getInterrupted().getPositionMs() >= 2000,
                    "position " + interrupted.event().getInterrupted().getPositionMs());
            assertTrue(eventMs <= 40, "Interrupted event came back " + eventMs + " ms after the request");
            assertTrue(stopMs <= 40 + receiverDelay / 1e6, "speech played until " + stopMs
                    + " ms after the request; allowed 40 ms + receiver delay " + receiverDelay / 1e6 + " ms");
            assertTrue(r.session.events().stream().noneMatch(e -> e.event().hasSpeechFinished()
                    && e.event().getSpeechFinished().getUtteranceId() == id), "a cut utterance does not finish");

            // The next utterance plays normally.
            long next = r.session.speak("And now I speak again.");
            assertTrue(next > id);
            ReceivedEvent again = r.session.awaitEvent(e -> e.hasSpeechFinished()
                    && e.getSpeechFinished().getUtteranceId() == next, Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("the utterance after the interrupt did not finish:\n" + stack.logs()));
            ReceivedEvent againStarted = r.session.awaitEvent(e -> e.hasSpeechStarted()
                    && e.getSpeechStarted().getUtteranceId() == next, Duration.ZERO).orElseThrow();
            Thread.sleep(500);
            AudioProbe audio = new AudioProbe(r.recording);
            double rms = audio.rms(againStarted.arrivalNanos() + 100 * MS, again.arrivalNanos());
            assertTrue(rms > 300, "speech RMS after the interrupt " + rms);
        }
    }

    private static double rms(byte[] pcm, int from, int count) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < from + count && 2 * i + 1 < pcm.length; i++) {
            int s = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
            sum += (double) s * s;
            n++;
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }
}
