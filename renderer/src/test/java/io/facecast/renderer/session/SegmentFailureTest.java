package io.facecast.renderer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.bus.BusMessage;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.SpeechSynthesizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TTS backend that fails mid-utterance ends the segment with why, for the client; secrets are cut out. */
class SegmentFailureTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path root;

    @Test
    void credentialsAndQueriesNeverReachTheMessage() {
        String m = SegmentFailure.clean("POST http://tts.local/v1/audio/speech?api_key=abc123 failed: 401 "
                + "(Authorization: Bearer sk-live-999) token=xyz\nsecond line");
        assertFalse(m.contains("abc123") || m.contains("sk-live-999") || m.contains("xyz"), m);
        assertTrue(m.contains("http://tts.local/v1/audio/speech failed: 401"), m);
        assertFalse(m.contains("\n"), m);
    }

    @Test
    void aBackendFailingAtTheSecondSentenceEndsTheSegmentAfterTheFirstSaying() throws Exception {
        SpeechSynthesizer failsSecond = new SpeechSynthesizer() {
            @Override
            public Speech synthesize(String text, String voice) {
                if (text.startsWith("Then")) {
                    throw new IllegalStateException("speech endpoint answered 503 (Authorization: Bearer sk-secret)");
                }
                return SharedTts.get().synthesize(text, "default");
            }

            @Override
            public Set<String> voices() {
                return Set.of("http:alloy");
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(1);
        BlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
        BusAppenders buses = new BusAppenders();
        RenderSessions sessions = new RenderSessions(failsSecond, AvatarRegistry.builtIn(), buses, pool,
                (s, u, o) -> done.add(o));
        try (BusFixture.Tail tailer = BusFixture.tail(root)) {
            sessions.open("s", "", "http:alloy", MediaSpec.newBuilder().setWidth(128).setHeight(128).build(),
                    root.toString());
            BusFixture.drain(tailer);
            sessions.speak("s", 1, "The first sentence is short. Then a second one. And a third.", false);
            done.poll(60, TimeUnit.SECONDS);
            List<BusMessage> records = BusFixture.drain(tailer);
            assertEquals(RecordKind.SEGMENT_END, records.get(records.size() - 1).kind());
            BusMessage.SegmentEnd end = (BusMessage.SegmentEnd) records.get(records.size() - 1);
            assertTrue(end.totalFrames() > 10, "the first sentence's frames were written: " + end.totalFrames());
            assertTrue(end.reason().startsWith("UNAVAILABLE: the HTTP speech backend (voice 'http:alloy') failed at "
                    + "sentence 2 of 3"), end.reason());
            assertTrue(end.reason().contains("answered 503") && !end.reason().contains("sk-secret"), end.reason());
        } finally {
            sessions.close();
            pool.shutdown();
            buses.close();
        }
    }
}
