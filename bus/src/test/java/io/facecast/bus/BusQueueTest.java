package io.facecast.bus;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class BusQueueTest {
    @TempDir
    Path dir;

    @Test
    void tailerReadsWhatTheAppenderWroteAfterItStarted() {
        try (BusAppender app = new BusAppender(dir); BusTailer tail = new BusTailer(dir)) {
            for (int i = 0; i < 10; i++) {
                app.append(audio("s", i, new byte[960]));
            }
            List<Long> seqs = new ArrayList<>();
            for (BusMessage m; (m = tail.next()) != null; ) seqs.add(firstSample(m));
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs);
            assertEquals(10, app.records());
        }
    }

    @Test
    void aTailerBuiltOnOneThreadReadsOnAnother() throws Exception {
        try (BusAppender app = new BusAppender(dir); BusTailer tail = new BusTailer(dir)) {
            app.append(audio("s", 5, null));
            long[] seen = {-1};
            Thread reader = new Thread(() -> {
                BusMessage m = tail.next();
                if (m != null) seen[0] = firstSample(m);
            });
            reader.start();
            reader.join();
            assertEquals(5, seen[0]);
        }
    }

    @Test
    void appendsFromSeveralThreadsAllArrive() throws Exception {
        try (BusAppender app = new BusAppender(dir); BusTailer tail = new BusTailer(dir)) {
            app.append(audio("main", 0, null));
            Thread[] writers = new Thread[3];
            for (int t = 0; t < writers.length; t++) {
                String session = "s" + t;
                writers[t] = new Thread(() -> {
                    for (int i = 0; i < 100; i++) app.append(audio(session, i, null));
                });
                writers[t].start();
            }
            for (Thread w : writers) w.join();
            int n = 0;
                        while (tail.next() != null) n++;
            assertEquals(301, n);
        }
    }

    @Test
    void consumedCyclesAreDeletedAndUnreadOnesKept() {
        // Chronicle's clock is injected: the test moves it across cycle boundaries instead of waiting for them.
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L).autoIncrement(0, TimeUnit.MILLISECONDS);
        var cycles = MediaBus.DEFAULT_ROLL_CYCLE;
        try (BusAppender app = new BusAppender(dir, cycles, clock);
             BusTailer tail = new BusTailer(dir, cycles, clock, true)) {
                        // Write into three different cycles, reading only the first two.
            for (int cycle = 0; cycle < 3; cycle++) {
                app.append(audio("s", cycle, new byte[1000]));
                if (cycle < 2) {
                    assertEquals(cycle, firstSample(tail.next()));
                }
                clock.advanceMillis(cycles.lengthInMillis());
            }
            assertEquals(3, cycleFiles().size(), "files: " + cycleFiles());
            // The tailer is still in the second cycle: the first may go, the second and third stay.
            tail.sweep();
            assertEquals(2, cycleFiles().size(), "files left: " + cycleFiles());
            assertEquals(2, firstSample(tail.next()));
            tail.sweep();
            assertEquals(1, cycleFiles().size(), "files left: " + cycleFiles());
            assertTrue(tail.deletedFiles() >= 2);
        }
    }

    private List<String> cycleFiles() {
        List<String> names = new ArrayList<>();
        for (File f : Objects.requireNonNull(dir.toFile().listFiles())) {
            if (f.getName().endsWith(".cq4")) names.add(f.getName());
        }
        return names;
    }

    static BusMessage.Audio audio(String session, long firstSample, byte[] pcm) {
        return new BusMessage.Audio(session, 1, firstSample, 48_000, 1, pcm, 0);
    }

    static long firstSample(BusMessage m) {
        return ((BusMessage.Audio) m).firstSample();
    }
}
