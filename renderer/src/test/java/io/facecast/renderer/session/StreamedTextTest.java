package io.facecast.renderer.session;

import io.facecast.bus.BusMessage;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.audio.Resampler;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.SpeechSynthesizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Text is synthesized and written sentence by sentence into one segment. */
class StreamedTextTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final String THREE = "The first sentence is short. Then comes a second one, a little longer than the first! And a third?";

    @TempDir
    Path root;
    BusFixture.Tail tailer;
    ExecutorService pool;
    BusAppenders buses;
    RenderSessions sessions;
    final BlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
    /** What the synthesizer was asked to say, in order. */
    final List<String> asked = new ArrayList<>();
    final CountDownLatch secondSentenceAsked = new CountDownLatch(1);
    final CountDownLatch releaseSecond = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        tailer = BusFixture.tail(root);
        pool = Executors.newFixedThreadPool(1);
        buses = new BusAppenders();
        SpeechSynthesizer holdsSecondSentence = new SpeechSynthesizer() {
            @Override
            public Speech synthesize(String text, String voice) {
                synchronized (asked) {
                    asked.add(text);
                }
                if (text.startsWith("Then")) {
                    secondSentenceAsked.countDown();
                    try {
                        assertTrue(releaseSecond.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                return SharedTts.get().synthesize(text, voice);
            }

            @Override
            public Set<String> voices() {
                return SharedTts.get().voices();
            }
        };
        sessions = new RenderSessions(holdsSecondSentence, AvatarRegistry.builtIn(), buses, pool, (s, u, o) -> done.add(o));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        releaseSecond.countDown();
        sessions.close();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        buses.close();
        tailer.close();
    }

    @Test
    void theFirstSentencesFramesAreOnTheBusBeforeTheSecondIsSynthesized() throws Exception {
        sessions.open("s", "", "", MediaSpec.newBuilder().setWidth(128).setHeight(128).build(), root.toString());
        BusFixture.drain(tailer);
        sessions.speak("s", 1, THREE, false);
        assertTrue(secondSentenceAsked.await(30, TimeUnit.SECONDS));
        List<BusMessage> early = BusFixture.drain(tailer);
        assertEquals(RecordKind.SEGMENT_START, early.get(0).kind());
        assertEquals(THREE, ((BusMessage.SegmentStart) early.get(0)).text(), "the segment carries the whole text");
        long video = early.stream().filter(r -> r.kind() == RecordKind.VIDEO).count();
        Speech first = SharedTts.get().synthesize("The first sentence is short.", "default");
        int firstFrames = SegmentMedia.frameCount(first.samples() * 3, 30);
        assertTrue(video >= firstFrames - 4 && video <= firstFrames,
                video + " frames written while sentence 2 is synthesized; sentence 1 has " + firstFrames);

        releaseSecond.countDown();
        assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(30, TimeUnit.SECONDS));
        assertEquals(List.of("The first sentence is short.", "Then comes a second one, a little longer than the first!",
                "And a third?"), asked);

        List<BusMessage> all = new ArrayList<>(early);
        all.addAll(BusFixture.drain(tailer));
        all.removeIf(r -> r.kind() == RecordKind.WORD_STARTED); // WordsOnTheBusTest checks those
        assertEquals(1, all.stream().filter(r -> r.kind() == RecordKind.SEGMENT_START).count(), "one segment");
        assertEquals(RecordKind.SEGMENT_END, all.get(all.size() - 1).kind());
        BusMessage.SegmentEnd end = (BusMessage.SegmentEnd) all.get(all.size() - 1);
        int frames = (int) end.totalFrames();
        assertEquals(2 + 2 * frames, all.size());

        // The audio is the sentences' speech back to back at 48 kHz, then the closing pad: nothing lost or doubled.
        short[] expected = new short[0];
        for (String sentence : asked) {
            short[] pcm = SharedTts.get().synthesize(sentence, "default").pcm();
            short[] joined = Arrays.copyOf(expected, expected.length + pcm.length);
            System.arraycopy(pcm, 0, joined, expected.length, pcm.length);
            expected = joined;
        }
        short[] bus = new Resampler(16000, BusAudio.SAMPLE_RATE).resample(expected);
        short[] padded = Arrays.copyOf(bus, bus.length + SegmentMedia.END_PAD_SAMPLES);
        assertEquals(padded.length, end.totalSamples());
        assertEquals(SegmentMedia.frameCount(padded.length, 30), frames);
        short[] written = new short[padded.length];
        int at = 0;
        for (int j = 0; j < frames; j++) {
            assertEquals(RecordKind.VIDEO, all.get(1 + 2 * j).kind());
            assertEquals(RecordKind.AUDIO, all.get(2 + 2 * j).kind());
            BusMessage.Video v = (BusMessage.Video) all.get(1 + 2 * j);
            BusMessage.Audio a = (BusMessage.Audio) all.get(2 + 2 * j);
            assertEquals(j, v.frame());
            assertEquals(at, a.firstSample());
            byte[] p = a.pcm();
            for (int i = 0; i < p.length / 2; i++) {
                written[at + i] = (short) ((p[2 * i] & 0xff) | (p[2 * i + 1] << 8));
            }
            at += p.length / 2;
        }
        assertArrayEquals(padded, written);
    }

    @Test
    void anInterruptBetweenSentencesStopsTheRestUnsynthesized() throws Exception {
        sessions.open("s", "", "", MediaSpec.newBuilder().setWidth(128).setHeight(128).build(), root.toString());
        sessions.speak("s", 1, THREE, false);
        assertTrue(secondSentenceAsked.await(30, TimeUnit.SECONDS));
        sessions.interrupt("s", 1);
        releaseSecond.countDown();
        assertEquals(SegmentObserver.Outcome.CANCELLED, done.poll(30, TimeUnit.SECONDS));
        assertFalse(asked.contains("And a third?"), "the third sentence was never synthesized: " + asked);
        assertTrue(BusFixture.drain(tailer).stream().noneMatch(r -> r.kind() == RecordKind.SEGMENT_END));
    }
}
