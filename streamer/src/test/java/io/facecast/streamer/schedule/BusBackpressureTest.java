package io.facecast.streamer.schedule;

import io.facecast.bus.BusAppender;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.MediaBus;
import io.facecast.streamer.ingest.BusIngest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real queue on a temp dir, the real ingest, the scheduler on virtual time: a renderer far ahead of real time
 * fills its session's queue, not the streamer, and a full session does not hold up another one.
 */
class BusBackpressureTest {
    private static final long MS = 1_000_000L;
    private static final int RATE = 48_000, FPS = 30;

    @TempDir
    Path dir;

    @Test
    void aSessionFarAheadIsHeldToTheLookAheadAndOthersFlowPastIt() throws Exception {
        VirtualClock clock = new VirtualClock();
        StreamerScheduler scheduler = StreamerScheduler.virtual(clock, SchedulerConfig.defaults());
        try (BusAppender renderA = new BusAppender(MediaBus.sessionQueue(dir, "a"));
             BusAppender renderB = new BusAppender(MediaBus.sessionQueue(dir, "b"));
             BusIngest ingest = new BusIngest(s -> BusTailer.ofSession(dir, s),
                     scheduler::accept, scheduler::hasRoom, clock::nanoTime)) {
            RecordingListener aEvents = new RecordingListener(), bEvents = new RecordingListener();
            for (String s : new String[]{"a", "b"}) {
                ingest.subscribe(s);
                scheduler.open(SessionSpec.of(s, Media.W, Media.H, FPS), new RecordingSink(clock), s.equals("a") ? aEvents : bEvents);
            }
            // The renderer writes 20 s for A at once, then 1 s for B.
            Media.Utterance a = Media.Utterance.ofMillis("a", 1, RATE, FPS, 20_000);
            Media.Utterance b = Media.Utterance.ofMillis("b", 1, RATE, FPS, 1_000);
            for (BusMessage r : Media.idle("a", FPS)) renderA.append(r);
            for (BusMessage r : Media.idle("b", FPS)) renderB.append(r);
            for (BusMessage r : a.all()) renderA.append(r);
            for (BusMessage r : b.all()) renderB.append(r);

            long maxBufferedA = 0;
            long bStartedAt = -1;
            for (long t = 0; t <= 23_000 * MS; t += 10 * MS) {
                ingest.drain();
                scheduler.runUntil(t);
                maxBufferedA = Math.max(maxBufferedA, scheduler.bufferedMillis("a"));
                if (bStartedAt < 0 && !bEvents.of("started").isEmpty()) bStartedAt = t;
            }
            // A: never more than the look-ahead (plus the one frame's records taken before the gauge said full).
            int window = SchedulerConfig.DEFAULT_LOOK_AHEAD_MILLIS;
            assertTrue(maxBufferedA <= window + 40, "A buffered " + maxBufferedA + " ms");
            assertTrue(maxBufferedA >= window - 100, "A should have been allowed its full look-ahead: " + maxBufferedA);
            assertTrue(ingest.pausedTurns() > 0);
            // B started as soon as its start lead arrived, not after A's 20 s had drained.
            assertTrue(bStartedAt >= 0 && bStartedAt < 500 * MS, "B started at " + bStartedAt / MS + " ms");
            assertEquals(1, bEvents.of("finished").size());
            // A played completely, nothing lost to the pauses.
            assertEquals(1, aEvents.of("finished").size(), aEvents.events.toString());
            long duration = aEvents.of("finished").get(0).value();
            assertEquals(a.frames * 1000L / FPS, duration, 40, "A's duration");
            assertEquals(0, scheduler.stats("a").stalls(), "a held-back renderer never starved the session");
        }
    }
}
