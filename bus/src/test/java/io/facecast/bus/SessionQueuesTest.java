package io.facecast.bus;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.facecast.bus.BusQueueTest.audio;
import static io.facecast.bus.BusQueueTest.firstSample;
import static org.junit.jupiter.api.Assertions.*;

/** One queue per session under the streamer's directory: each reader sees its own records only, and cleans up. */
class SessionQueuesTest {
    @TempDir
    Path streamer;

    @Test
    void eachSessionReadsOnlyItsOwnQueueFromItsStart() {
        Path a = MediaBus.sessionQueue(streamer, "a");
        Path b = MediaBus.sessionQueue(streamer, "b");
        try (BusAppender writeA = new BusAppender(a); BusAppender writeB = new BusAppender(b)) {
            for (int i = 0; i < 6; i++) {
                (i % 2 == 0 ? writeA : writeB).append(audio(i % 2 == 0 ? "a" : "b", i, new byte[960]));
            }
            // Opened after the writes: a session's reader starts at its queue's beginning, so nothing is missed.
            try (BusTailer readA = BusTailer.ofSession(streamer, "a"); BusTailer readB = BusTailer.ofSession(streamer, "b")) {
                assertEquals(List.of(0L, 2L, 4L), sequences(readA));
                assertEquals(3, readA.records(), "A opened only its own three records");
                // B has not moved meanwhile: a reader paused for backpressure keeps its place whatever the others do.
                assertEquals(List.of(1L, 3L, 5L), sequences(readB));
            }
        }
        assertFalse(Files.exists(a), "a closed session's reader deletes its queue");
        assertFalse(Files.exists(b));
    }

    @Test
    void aRollCycleOfTenSecondsRollsOnTheInjectedClockAndReadersFollow() throws Exception {
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L).autoIncrement(0, TimeUnit.MILLISECONDS);
        Path q = MediaBus.sessionQueue(streamer, "s");
        try (BusAppender w = new BusAppender(q, MediaBus.DEFAULT_ROLL_CYCLE, clock);
             BusTailer r = BusTailer.ofSession(streamer, "s", MediaBus.DEFAULT_ROLL_CYCLE, clock)) {
            for (int i = 0; i < 5; i++) {
                w.append(audio("s", i, null));
                clock.advanceMillis(10_000);
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), sequences(r));
            r.sweep();
            try (var files = Files.list(q)) {
                assertEquals(1, files.filter(f -> f.toString().endsWith(".cq4")).count(), "only the cycle being read stays");
            }
        }
    }

    @Test
    void staleQueuesOfNoLiveSessionAndOldLayoutFilesGo() throws Exception {
        Files.createDirectories(streamer.resolve("live"));
        Files.createDirectories(streamer.resolve("gone"));
        Files.createFile(streamer.resolve("gone").resolve("20250101-000000S.cq4"));
        Files.createFile(streamer.resolve("20250101-0000.cq4"));
        Files.createFile(streamer.resolve("keep.txt"));
        long later = System.currentTimeMillis() + 120_000;
        assertEquals(0, MediaBus.deleteStale(streamer, Set.of("live"), 60_000, System.currentTimeMillis()),
                "nothing young is touched");
        assertEquals(2, MediaBus.deleteStale(streamer, Set.of("live"), 60_000, later));
        assertTrue(Files.exists(streamer.resolve("live")));
        assertTrue(Files.exists(streamer.resolve("keep.txt")));
        assertFalse(Files.exists(streamer.resolve("gone")));
        assertFalse(Files.exists(streamer.resolve("20250101-0000.cq4")));
    }

    @Test
    void aSessionIdMustBeOneDirectoryName() {
        for (String bad : new String[]{"", ".", "..", "a/b", "../x", "a b", "x\u0000", "é", "a".repeat(129)}) {
            assertFalse(MediaBus.isSafeSessionId(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> MediaBus.sessionQueue(streamer, bad));
        }
        assertEquals(streamer.resolve("3f2a-9c_1.b"), MediaBus.sessionQueue(streamer, "3f2a-9c_1.b"));
    }

    private static List<Long> sequences(BusTailer t) {
        List<Long> seen = new ArrayList<>();
        for (BusMessage m; (m = t.next()) != null; ) seen.add(firstSample(m));
        return seen;
    }
}
