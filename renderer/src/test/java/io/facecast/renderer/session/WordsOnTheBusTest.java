package io.facecast.renderer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.bus.BusMessage;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.WordTiming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FreeTTS word timings become WORD_STARTED records in the frame that holds each word's first phoneme. */
class WordsOnTheBusTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final String TEXT = "Hello brave new world. Good morning, Ada!";
    static final int FPS = 30;

    @TempDir
    Path root;
    ExecutorService pool = Executors.newFixedThreadPool(1);
    BusAppenders buses = new BusAppenders();
    final BlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        buses.close();
    }

    @Test
    void freeTtsReportsEveryWordAtItsFirstPhoneme() {
        Speech speech = SharedTts.get().synthesize("Hello brave new world.", "default");
        assertEquals(List.of(0, 6, 12, 16), speech.words().stream().map(WordTiming::textOffset).toList());
        assertEquals(List.of(5, 5, 3, 5), speech.words().stream().map(WordTiming::textLength).toList());
        for (WordTiming w : speech.words()) {
            assertTrue(speech.phonemes().stream().anyMatch(p -> p.startSample() == w.startSample()
                    && !p.phoneme().equals("pau")), "word at " + w.textOffset() + " starts with a phoneme");
        }
        assertTrue(speech.words().get(3).startSample() > speech.words().get(0).startSample());
    }

    @Test
    void wordsThatNoTokenReadsGetNoTiming() {
        // "42" is spoken "forty two": neither engine word matches the token, so none is placed on it.
        List<WordTiming> w = WordTiming.align("I am 42 today", List.of("i", "am", "forty", "two", "today"),
                List.of(0, 10, 20, 30, 40));
        assertEquals(List.of(0, 2, 8), w.stream().map(WordTiming::textOffset).toList());
        assertEquals(List.of(0, 10, 40), w.stream().map(WordTiming::startSample).toList());
    }

    @Test
    void eachWordIsWrittenBeforeTheFrameHoldingItsFirstPhonemeAndTheMouthMovesThere() throws Exception {
        RenderSessions sessions = new RenderSessions(SharedTts.get(), AvatarRegistry.builtIn(), buses, pool,
                (s, u, o) -> done.add(o));
        try (BusFixture.Tail tailer = BusFixture.tail(root)) {
            sessions.open("s", "", "", MediaSpec.newBuilder().setWidth(256).setHeight(256).setFps(FPS).build(),
                    root.toString());
            BusFixture.drain(tailer);
            sessions.speak("s", 1, TEXT, false);
            assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(60, TimeUnit.SECONDS));
            List<BusMessage> records = BusFixture.drain(tailer);
            sessions.close();

            List<BusMessage.WordStarted> words = BusFixture.only(records, BusMessage.WordStarted.class);
            assertEquals(List.of("Hello", "brave", "new", "world", "Good", "morning", "Ada"),
                    words.stream().map(BusMessage.WordStarted::word).toList());
            List<byte[]> patches = new ArrayList<>();
            int videoSeen = 0;
            for (BusMessage r : records) {
                if (r instanceof BusMessage.Video v) {
                    patches.add(v.i420());
                    videoSeen++;
                } else if (r instanceof BusMessage.WordStarted w) {
                    assertEquals(videoSeen, w.frame(), w.word() + " is written right before the frame it starts in");
                }
            }
            for (BusMessage.WordStarted w : words) {
                assertEquals(w.word(), TEXT.substring(w.textOffset(), w.textOffset() + w.textLength()));
                long frameOfFirstSample = w.firstSample() * FPS / BusAudio.SAMPLE_RATE;
                assertEquals(frameOfFirstSample, w.frame(), w.word() + ": the frame holding its first phoneme");
                // The mouth shape changes within one frame of the word's start (co-articulation may lead by a frame).
                int j = (int) w.frame();
                boolean moves = false;
                for (int f = Math.max(1, j - 1); f <= Math.min(patches.size() - 1, j + 1); f++) {
                    moves |= !Arrays.equals(patches.get(f), patches.get(f - 1));
                }
                assertTrue(moves, "the mouth moves within one frame of '" + w.word() + "' (frame " + j + ")");
            }
        }
    }
}
