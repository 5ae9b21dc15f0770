package io.facecast.it;

import static io.facecast.it.GstReceiver.dbl;
import static io.facecast.it.GstReceiver.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.WordStarted;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.facecast.renderer.tts.FreeTtsSynthesizer;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.WordTiming;
import io.facecast.renderer.viseme.MouthParams;
import io.facecast.renderer.viseme.MouthTrack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: each {@code WordStarted} event comes within one frame of its first phoneme's mouth shape, on the real
 * processes and at a receiver that is not our sender (GStreamer's webrtcbin through the shipped meter, in its
 * {@code --events --frames} mode: one line per presented frame with its running time and how much the mouth box
 * changed from the previous frame).
 *
 * <p>How the two time axes meet: the utterance is spoken with sync markers, so its frames 0, fps, 2 fps, ... carry a
 * white mouth; the receiver times each flash on its running time. Flash n pins utterance frame n·fps to the receiver's
 * clock, and a WordStarted's media time, counted from SpeechStarted's, names utterance frame e = round(Δ·fps/1000).
 * <ul>
 *   <li>The flashes are one second of media apart at the receiver, within one frame (the media-time axis of the events
 *       is the receiver's frame axis).</li>
 *   <li>For every word, e is within one frame of the frame holding the word's first phoneme by the TTS timings (FreeTTS
 *       kevin16 run here, in the test, on the same text: the renderer's engine and voice, deterministic).</li>
 *   <li>At the receiver, the mouth changes shape (mean |luma change| of the mouth box above the idle noise) within one
 *       frame of e, for at least 80% of the words judged (tolerance: one frame either side, as
 *       co-articulation may lead the phoneme by a frame and a frame's presentation time is known to ±½ frame), for
 *       every word whose first phoneme changes the mouth by the renderer's own mouth track ({@link MouthTrack} on the
 *       same timings moves by at least {@link #VISIBLE_POSE_CHANGE} there). A word whose first shape is the shape
 *       before it ("should" after "sentence") has nothing to see, and words whose window touches a marker frame are
 *       not judged on the mouth either (the white frame hides the shape); both are counted and printed.</li>
 * </ul>
 */
class WordMouthSyncTest {
    /** One sentence, no commas (FreeTTS pauses at them): one synthesis, one timeline. */
    static final String TEXT = "Every word of this sentence should move the mouth of the avatar at the moment the word"
            + " begins while the receiver watches closely";
    /** Sum of |Δ| of openness, width and roundness between neighbouring frames that surely changes the picture. */
    static final double VISIBLE_POSE_CHANGE = 0.1;

    @Test
    void eachWordStartedIsWithinOneFrameOfItsFirstPhonemesMouthShapeAtAReceiver() throws Exception {
        GstReceiver.require();
        Speech speech = new FreeTtsSynthesizer(1).synthesize(TEXT, FreeTtsSynthesizer.DEFAULT_VOICE);
        Map<Integer, WordTiming> tts = speech.words().stream()
                .collect(Collectors.toMap(WordTiming::textOffset, Function.identity(), (a, b) -> a));
        try (LocalStack stack = LocalStack.start("word-sync", 1, 4, Duration.ofSeconds(5));
             FacecastClient client = stack.client();
             GstReceiver rx = GstReceiver.start(BrowserSupport.pageUrl(stack), stack.apiKey, 1,
                     Path.of("target", "it-logs", "word-sync", "receiver.log"), "--frames")) {
            String id = GstSyncMarkerTest.connect(rx, 1).get(0);
            int fps = client.getSession(id).getVideo().getFps();
            fps = fps == 0 ? 30 : fps;
            double frameMs = 1000.0 / fps;
            MouthTrack track = new MouthTrack(speech.phonemes(), speech.sampleRate(), fps,
                    (int) ((long) speech.pcm().length * fps / speech.sampleRate()) + 2);
            List<ReceivedEvent> received;
            long speechStartMs;
            try (SessionEventLog events = new SessionEventLog(client, id)) {
                long u = client.speak(id, TEXT, true);
                speechStartMs = events.await(e -> e.hasSpeechStarted() && e.getSpeechStarted().getUtteranceId() == u,
                        Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("no SpeechStarted:\n" + stack.logs()))
                        .event().getSpeechStarted().getMediaTimeMs();
                events.await(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == u,
                        Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError("no SpeechFinished:\n" + stack.logs()));
                Thread.sleep(700); // the player presents a few hundred ms after arrival: let the last frames through
                received = events.events();
                rx.stop(Duration.ofSeconds(20));
            }
            assertEquals(0, rx.exitValue(), "receiver exit status; it said " + rx.lines("error", null));
            List<WordStarted> words = received.stream().map(ReceivedEvent::event).filter(SessionEvent::hasWordStarted)
                    .map(SessionEvent::getWordStarted).toList();
            List<JsonObject> flashes = rx.lines("flash", id).stream()
                    .sorted(Comparator.comparingLong(o -> num(o, "running_ns"))).toList();
            List<JsonObject> frames = rx.lines("frame", id).stream().filter(o -> o.get("mouth_change") != null
                    && !o.get("mouth_change").isJsonNull()).sorted(Comparator.comparingLong(o -> num(o, "running_ns"))).toList();
            assertTrue(words.size() >= 15, "WordStarted events: " + words.size() + "\n" + stack.logs());
            assertTrue(flashes.size() >= 3, "sync-marker flashes at the receiver: " + flashes.size());

            // 1. Flash n is utterance frame n·fps: one second of media apart at the receiver, within one frame.
            long rt0 = num(flashes.get(0), "running_ns");
            for (int n = 1; n < flashes.size(); n++) {
                double offMs = (num(flashes.get(n), "running_ns") - rt0) / 1e6 - n * 1000.0;
                assertTrue(Math.abs(offMs) <= frameMs, "flash " + n + " is " + offMs + " ms off its media time");
            }
            // The mouth's frame-to-frame change while idle (before speech) is the receiver's noise floor.
            double idleMax = frames.stream().filter(o -> num(o, "running_ns") < rt0 - 300_000_000L)
                    .mapToDouble(o -> dbl(o, "mouth_change")).max().orElse(0);
            double threshold = Math.max(0.5, idleMax + 0.25);

            List<String> report = new ArrayList<>();
            int judged = 0;
            int seen = 0;
            int worstFrames = 0;
            for (WordStarted w : words) {
                long e = Math.round((w.getMediaTimeMs() - speechStartMs) * fps / 1000.0);
                WordTiming t = tts.get(w.getTextOffset());
                assertTrue(t != null, "no TTS timing for '" + w.getWord() + "' at " + w.getTextOffset() + " " + tts.keySet());
                long s48 = (long) t.startSample() * 48_000 / speech.sampleRate();
                long phonemeFrame = s48 * fps / 48_000;
                int apart = (int) Math.abs(e - phonemeFrame);
                worstFrames = Math.max(worstFrames, apart);
                // Where frame e sits at the receiver: from the last flash at or before it.
                int n = (int) Math.min(e / fps, flashes.size() - 1);
                double rtE = num(flashes.get(n), "running_ns") + (e - (long) n * fps) * frameMs * 1e6;
                List<JsonObject> around = frames.stream()
                        .filter(o -> Math.abs(num(o, "running_ns") - rtE) <= 1.5 * frameMs * 1e6).toList();
                boolean nearMarker = e % fps <= 2 || e % fps >= fps - 2
                        || around.stream().anyMatch(o -> dbl(o, "white") > 0.5);
                double poseChange = 0;
                for (long j = Math.max(1, phonemeFrame - 1); j <= phonemeFrame + 1; j++) {
                    poseChange = Math.max(poseChange, distance(track.at((int) j), track.at((int) j - 1)));
                }
                boolean visible = poseChange >= VISIBLE_POSE_CHANGE;
                double moved = around.stream().mapToDouble(o -> dbl(o, "mouth_change")).max().orElse(Double.NaN);
                report.add(String.format("%s@%d: event frame %d, phoneme frame %d, pose change %.2f, mouth change at the"
                        + " receiver %.1f%s", w.getWord(), w.getTextOffset(), e, phonemeFrame, poseChange, moved,
                        nearMarker ? " (marker)" : visible ? "" : " (same shape)"));
                assertTrue(apart <= 1, "'" + w.getWord() + "': WordStarted names frame " + e + ", its first phoneme is in frame "
                        + phonemeFrame + "\n" + String.join("\n", report));
                if (!nearMarker && visible) {
                    judged++;
                    seen += moved > threshold ? 1 : 0;
                }
            }
            System.out.printf("[figures] word sync at a GStreamer receiver: %d words, event vs first-phoneme frame at most"
                            + " %d apart; mouth changed within one frame of the event for %d of %d words judged (change >"
                            + " %.2f, idle noise %.2f); %d flashes%n  %s%n",
                    words.size(), worstFrames, seen, judged, threshold, idleMax, flashes.size(), String.join("\n  ", report));
            assertTrue(judged >= words.size() / 3, "too few words judged on the mouth: " + judged);
            // A small pose change can come out as a faint change after VP8 (the encoder smooths it); nearly every word,
            // not every one, must show it. A receiver-side offset of even one frame drops this far below.
            assertTrue(seen >= 0.8 * judged, "the mouth changed within one frame of the WordStarted for only " + seen
                    + " of " + judged + " words at the receiver (threshold " + threshold + ")\n" + String.join("\n", report));
        }
    }

    private static double distance(MouthParams a, MouthParams b) {
        return Math.abs(a.openness() - b.openness()) + Math.abs(a.width() - b.width())
                + Math.abs(a.roundness() - b.roundness());
    }
}
