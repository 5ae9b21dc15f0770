package io.facecast.bus;

import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.*;

/** Several per-session tailers on one queue: each sees only its session, and none deletes on its own. */
class SharedQueueReadersTest {
    @TempDir
    Path dir;

    @Test
    void eachReaderGetsItsSessionAndPassesOverTheOthers() {
        try (BusAppender app = new BusAppender(dir);
             BusTailer a = new BusTailer(dir, MediaBus.DEFAULT_ROLL_CYCLE, false);
             BusTailer b = new BusTailer(dir, MediaBus.DEFAULT_ROLL_CYCLE, false)) {
            for (int i = 0; i < 6; i++) {
                app.append(BusRecord.of(RecordKind.AUDIO, i % 2 == 0 ? "a" : "b", 1).sequence(i).payload(new byte[960]));
            }
            List<Long> seenA = new ArrayList<>();
            BusRecord r = new BusRecord();
            while (a.nextOf("a", r)) seenA.add(r.sequence());
            assertEquals(List.of(0L, 2L, 4L), seenA);
            assertEquals(3, a.passed());
            // b has not moved: a reader paused for backpressure keeps its place whatever the others do.
            assertTrue(b.nextOf("b", r));
            assertEquals(1, r.sequence());
            assertEquals(960, r.payload().length);
        }
    }

    @Test
    void sharedReadersDeleteOnlyWhatTheOwnerSaysEveryoneHasPassed() throws Exception {
        var cycles = TestRollCycles.TEST_SECONDLY;
        try (BusAppender app = new BusAppender(dir, cycles);
             BusTailer fast = new BusTailer(dir, cycles, false);
             BusTailer slow = new BusTailer(dir, cycles, false)) {
            BusRecord r = new BusRecord();
            for (int second = 0; second < 3; second++) {
                app.append(BusRecord.of(RecordKind.AUDIO, "fast", 1).sequence(second));
                app.append(BusRecord.of(RecordKind.AUDIO, "slow", 1).sequence(second));
                while (fast.nextOf("fast", r)) { }
                Thread.sleep(1100); // a real roll: the queue's cycles are wall-clock seconds
            }
            assertTrue(slow.nextOf("slow", r));
            assertEquals(0, r.sequence());
            int min = Math.min(fast.positionCycle(), slow.positionCycle());
            assertTrue(fast.positionCycle() > slow.positionCycle());
            fast.deleteCyclesBefore(min);
            // Everything the slow reader has not read is still there.
            List<Long> rest = new ArrayList<>();
            while (slow.nextOf("slow", r)) rest.add(r.sequence());
            assertEquals(List.of(1L, 2L), rest);
            assertTrue(Objects.requireNonNull(dir.toFile().listFiles((d, n) -> n.endsWith(".cq4"))).length >= 1);
        }
    }
}
