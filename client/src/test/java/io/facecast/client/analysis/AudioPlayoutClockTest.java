package io.facecast.client.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class AudioPlayoutClockTest {
    private static final long MS = 1_000_000L;

    @Test
    void lateWakeUpsOfThePullingThreadDoNotMoveThePlayoutClock() {
        Random rnd = new Random(7);
        long t0 = 5_000 * MS;
        List<Long> arrivals = new ArrayList<>();
        for (int c = 0; c < 1000; c++) {
            // Mostly on time; often up to 4 ms late; every 20th exactly on time.
            long late = c % 20 == 0 ? 0 : (long) (rnd.nextDouble() * 4 * MS);
            arrivals.add(t0 + c * 10 * MS + late);
        }
        AudioPlayoutClock clock = new AudioPlayoutClock(arrivals, 48_000, 480, 50);
        for (int c = 0; c < 1000; c++) {
            assertEquals(t0 + c * 10 * MS, clock.playoutNanos(c * 480.0), "chunk " + c);
        }
        // Within a chunk, samples play at the sample rate.
        assertEquals(t0 + 100 * 10 * MS + 5 * MS, clock.playoutNanos(100 * 480 + 240));
    }

    @Test
    void aRealShiftOfThePlayoutClockIsFollowed() {
        List<Long> arrivals = new ArrayList<>();
        for (int c = 0; c < 400; c++) {
            arrivals.add(c * 10 * MS + (c >= 200 ? 30 * MS : 0)); // playout restarted 30 ms later at chunk 200
        }
        AudioPlayoutClock clock = new AudioPlayoutClock(arrivals, 48_000, 480, 50);
        assertEquals(100 * 10 * MS, clock.playoutNanos(100 * 480));
        assertEquals(300 * 10 * MS + 30 * MS, clock.playoutNanos(300 * 480));
    }
}
