package io.facecast.renderer.playback;

import io.facecast.bus.BusMessage;
import io.facecast.bus.PlaybackFeedback;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.SegmentObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real sessions, queue and feedback queue: the renderer writes a long utterance only as far as the streamer's
 * reports allow, parks without holding its thread, and goes on when playback advances (or the reports stop).
 */
class RendererLookAheadTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final long MS = 1_000_000L;
    static final String LONG = "This is the first sentence of a long answer. It goes on for a while, and then for a while more."
            + " Nobody should have to wait for all of it before the first word is heard.";

    @TempDir
    Path root;
    Path bus;
    final AtomicLong now = new AtomicLong(1_000 * MS);
    final BlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
    ExecutorService pool;
    BusAppenders buses;
    BusFixture.Tail tailer;
    PlaybackGates gates;
    PlaybackFeedback.Writer streamer;
    RenderSessions sessions;
    final List<BusMessage> seen = new ArrayList<>();

    @BeforeEach
    void setUp() {
        bus = root.resolve("streamer-1");
        tailer = BusFixture.tail(bus);
        pool = Executors.newSingleThreadExecutor();
        buses = new BusAppenders();
        gates = new PlaybackGates(1_000, 2_000, now::get);
        streamer = new PlaybackFeedback.Writer(PlaybackFeedback.dirFor(bus));
        sessions = new RenderSessions(SharedTts.get(), AvatarRegistry.builtIn(), buses, pool, (s, u, o) -> done.add(o), gates);
        sessions.open("s", "", "", MediaSpec.newBuilder().setWidth(128).setHeight(128).build(), bus.toString());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        sessions.close();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        gates.close();
        streamer.close();
        buses.close();
        tailer.close();
    }

    void report(long utterance, long framesRead, long bufferedMs) {
        streamer.append(new PlaybackFeedback.Position("s", utterance, framesRead, bufferedMs, now.get()));
        gates.poll();
    }

    /** Video frames written so far, once the render thread has nothing left to do (it is parked or idle). */
    long framesWhenSettled() throws Exception {
        pool.submit(() -> {}).get(30, TimeUnit.SECONDS); // the single render thread finished its turns before this
        seen.addAll(BusFixture.drain(tailer));
        return seen.stream().filter(r -> r.kind() == RecordKind.VIDEO).count();
    }

    long videoOf(long utterance) {
        return seen.stream().filter(r -> r.kind() == RecordKind.VIDEO && r.utteranceId() == utterance).count();
    }

    @Test
    void writesOnlyAsFarAsPlaybackAllowsAndFinishesWhenItCatchesUp() throws Exception {
        report(0, 0, 0);
        sessions.speak("s", 1, LONG, false);
        assertEquals(30, framesWhenSettled(), "1 s at 30 fps ahead of an utterance not yet on air, then parked");
        assertNull(done.poll(), "not finished");

        report(1, 50, 1_000); // 20 played
        assertEquals(50, framesWhenSettled());
        report(1, 80, 500);   // 65 played
        assertEquals(95, framesWhenSettled());

        now.addAndGet(2_001 * MS); // the streamer went quiet: the gate gives up holding
        gates.poll();
        assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(30, TimeUnit.SECONDS));
        long frames = framesWhenSettled();
        assertTrue(frames > 200, "the whole text: " + frames);
        assertEquals(RecordKind.SEGMENT_END, seen.get(seen.size() - 1).kind());
        assertEquals(frames, ((BusMessage.SegmentEnd) seen.get(seen.size() - 1)).totalFrames());
    }

    @Test
    void anInterruptReleasesAParkedUtteranceAndTheNextOneStarts() throws Exception {
        report(0, 0, 0);
        sessions.speak("s", 1, LONG, false);
        sessions.speak("s", 2, "Next, a shorter one.", false);
        assertEquals(30, framesWhenSettled());
        sessions.interrupt("s", 1);
        assertEquals(SegmentObserver.Outcome.CANCELLED, done.poll(30, TimeUnit.SECONDS));
        // The next turn is scheduled just after the outcome is told: wait for its frames, then for the thread to settle.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (videoOf(2) < 30 && System.nanoTime() < deadline) {
            seen.addAll(BusFixture.drain(tailer));
            Thread.onSpinWait();
        }
        framesWhenSettled();
        assertEquals(30, seen.stream().filter(r -> r.kind() == RecordKind.VIDEO && r.utteranceId() == 2).count(),
                "the next utterance got its own look-ahead");
        report(1, 30, 1_000); // the streamer is still on 1 (it has not heard of the interrupt): 2 keeps its window
        assertNull(done.poll());
        report(2, 40, 0);
        assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void withoutReportsNothingIsHeld() throws Exception {
        sessions.speak("s", 1, LONG, false);
        assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(30, TimeUnit.SECONDS));
    }
}
