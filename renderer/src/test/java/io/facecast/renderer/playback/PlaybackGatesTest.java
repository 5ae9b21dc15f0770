package io.facecast.renderer.playback;

import io.facecast.bus.PlaybackFeedback;
import io.facecast.renderer.session.LookAheadGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The gate over a real feedback queue in a temp dir, time from an injected clock, polls run by the test. */
class PlaybackGatesTest {
    static final long MS = 1_000_000L;

    @TempDir
    Path root;
    final AtomicLong now = new AtomicLong(1_000 * MS);
    final AtomicInteger wakes = new AtomicInteger();
    PlaybackGates gates;
    PlaybackFeedback.Writer streamer;

    @AfterEach
    void tearDown() {
        gates.close();
        streamer.close();
    }

    LookAheadGate open(String session) {
        Path bus = root.resolve("streamer-1");
        gates = new PlaybackGates(1_000, 2_000, now::get);
        LookAheadGate g = gates.open(session, 30, bus);
        streamer = new PlaybackFeedback.Writer(PlaybackFeedback.dirFor(bus));
        return g;
    }

    void report(String session, long utterance, long framesRead, long bufferedMs) {
        streamer.append(new PlaybackFeedback.Position(session, utterance, framesRead, bufferedMs, now.get()));
        gates.poll();
    }

    @Test
    void holdsFramesBeyondTheLookAheadAndWakesWhenPlaybackCatchesUp() {
        LookAheadGate g = open("s");
        assertTrue(g.mayWrite(1, 5_000, wakes::incrementAndGet), "no report yet: a streamer without feedback is never waited for");

        report("s", 0, 0, 0); // the streamer is there, nothing read yet
        assertTrue(g.mayWrite(1, 29, wakes::incrementAndGet));
        assertFalse(g.mayWrite(1, 30, wakes::incrementAndGet), "1 s at 30 fps ahead of an unstarted utterance");
        report("other", 1, 500, 0);
        assertEquals(0, wakes.get(), "another session's report does not open this gate");

        report("s", 1, 40, 1_000); // read 40 frames, 1 s of them unplayed: 10 played, frames < 40 may go
        assertEquals(1, wakes.get(), "the waiter for frame 30 is woken");
        assertTrue(g.mayWrite(1, 39, wakes::incrementAndGet));
        assertFalse(g.mayWrite(1, 40, wakes::incrementAndGet));
    }

    @Test
    void wakesTheWaiterOnceAReportOpensItsGate() {
        LookAheadGate g = open("s");
        report("s", 1, 0, 0);
        assertFalse(g.mayWrite(1, 45, wakes::incrementAndGet));
        report("s", 1, 20, 500); // 5 played: 35 allowed
        assertEquals(0, wakes.get());
        report("s", 1, 40, 500); // 25 played: 55 allowed
        assertEquals(1, wakes.get());
        gates.poll();
        assertEquals(1, wakes.get(), "woken once");
        assertTrue(g.mayWrite(1, 45, wakes::incrementAndGet));
        assertFalse(g.mayWrite(1, 55, wakes::incrementAndGet));
        report("s", 2, 3, 100); // the streamer moved on to utterance 2: nothing of 1 is held any more
        assertEquals(2, wakes.get());
        assertTrue(g.mayWrite(1, 100_000, wakes::incrementAndGet));
        assertTrue(g.mayWrite(3, 29, wakes::incrementAndGet), "a later utterance gets the look-ahead from its start");
        assertFalse(g.mayWrite(3, 30, wakes::incrementAndGet));
    }

    @Test
    void aStreamerGoneQuietNeverHoldsSpeechForLongerThanTheStaleTimeout() {
        LookAheadGate g = open("s");
        report("s", 1, 0, 0);
        assertFalse(g.mayWrite(1, 30, wakes::incrementAndGet));
        now.addAndGet(2_000 * MS);
        gates.poll();
        assertEquals(0, wakes.get(), "not yet stale at exactly 2 s");
        now.addAndGet(MS);
        gates.poll();
        assertEquals(1, wakes.get(), "stale: the gate opens without a report");
        assertTrue(g.mayWrite(1, 10_000, wakes::incrementAndGet));
        report("s", 1, 0, 0);
        assertFalse(g.mayWrite(1, 30, wakes::incrementAndGet), "a fresh report closes it again");
    }

    @Test
    void closingTheSessionWakesItsWaiter() {
        LookAheadGate g = open("s");
        report("s", 1, 0, 0);
        assertFalse(g.mayWrite(1, 30, wakes::incrementAndGet));
        gates.close("s", root.resolve("streamer-1"));
        assertEquals(1, wakes.get());
        report("s", 1, 0, 0); // reports for a closed session are ignored
        assertEquals(1, wakes.get());
    }
}
