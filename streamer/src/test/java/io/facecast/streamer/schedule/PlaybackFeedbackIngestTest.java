package io.facecast.streamer.schedule;

import io.facecast.bus.BusAppender;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.MediaBus;
import io.facecast.bus.PlaybackFeedback;
import io.facecast.streamer.ingest.BusIngest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The ingest reports per session how far it has read and how much is unplayed; the difference tracks playback. */
class PlaybackFeedbackIngestTest {
    private static final long MS = 1_000_000L;
    private static final int RATE = 48_000, FPS = 30;

    @TempDir
    Path root;

    @Test
    void reportsTrackThePlayPositionOfTheUtteranceOnAir() throws Exception {
        Path dir = root.resolve("streamer-1");
        VirtualClock clock = new VirtualClock();
        StreamerScheduler scheduler = StreamerScheduler.virtual(clock, SchedulerConfig.defaults());
        try (BusAppender renderer = new BusAppender(MediaBus.sessionQueue(dir, "a"));
             PlaybackFeedback.Reader feedback = new PlaybackFeedback.Reader(PlaybackFeedback.dirFor(dir));
             BusIngest ingest = new BusIngest(s -> BusTailer.ofSession(dir, s),
                     scheduler::accept, scheduler::hasRoom, clock::nanoTime,
                     new PlaybackFeedback.Writer(PlaybackFeedback.dirFor(dir)), scheduler::bufferedMillis)) {
            ingest.subscribe("a");
            scheduler.open(SessionSpec.of("a", Media.W, Media.H, FPS), new RecordingSink(clock), new RecordingListener());
            ingest.publishFeedback();
            PlaybackFeedback.Position before = feedback.next();
            assertEquals(new PlaybackFeedback.Position("a", 0, 0, 0, clock.nanoTime()), before, "reported before any media");

            for (BusMessage r : Media.idle("a", FPS)) renderer.append(r);
            for (BusMessage r : Media.Utterance.ofMillis("a", 7, RATE, FPS, 20_000).all()) renderer.append(r);
            long[] played = new long[3];
            long[] at = {3_000, 5_000, 10_000};
            int k = 0;
            for (long t = 0; t <= 10_000 * MS; t += 10 * MS) {
                ingest.drain();
                scheduler.runUntil(t);
                if (k < at.length && t == at[k] * MS) {
                    ingest.publishFeedback();
                    PlaybackFeedback.Position p = feedback.next();
                    assertEquals("a", p.sessionId());
                    assertEquals(7, p.utteranceId());
                    assertEquals(t, p.nanos());
                    int window = SchedulerConfig.DEFAULT_LOOK_AHEAD_MILLIS;
                    assertTrue(p.bufferedMillis() >= window - 100 && p.bufferedMillis() <= window + 40,
                            "the look-ahead window is full: " + p);
                    played[k++] = p.framesPlayed(FPS);
                }
            }
            assertNull(feedback.next());
            assertEquals(60, played[1] - played[0], 2, "2 s of playback between the reports");
            assertEquals(150, played[2] - played[1], 2, "5 s of playback between the reports");
            assertEquals(90, played[0], 2, "about 3 s played after 3 s");
        }
    }
}
