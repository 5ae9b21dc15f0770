package io.facecast.rtc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.media.SyncClock;
import org.junit.jupiter.api.Test;

class MonotonicSyncClockTest {
    @Test
    void countsOnLibwebrtcsTimeBaseNotFromItsCreation() {
        assertTrue(NativeLibrary.loadProblem().isEmpty());
        SyncClock plain = new SyncClock();
        SyncClock aligned = MonotonicSyncClock.create();
        try {
            long monotonicUs = System.nanoTime() / 1000;
            long plainUs = plain.getTimestampUs();
            long alignedUs = aligned.getTimestampUs();
            // webrtc-java's own clock counts from its creation: that gap is what offset every sender report
            assertTrue(plainUs < 5_000_000, "webrtc-java's clock read " + plainUs + " us since its creation");
            assertTrue(Math.abs(alignedUs - monotonicUs) < 50_000,
                    "aligned clock " + alignedUs + " us vs CLOCK_MONOTONIC " + monotonicUs + " us");
        } finally {
            plain.dispose();
            aligned.dispose();
        }
    }
}
