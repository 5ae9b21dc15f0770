package io.facecast.client.analysis;

import io.facecast.client.Recording;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SyncMarkerAnalysisTest {
    private static final long MS = 1_000_000L;

    @Test
    void pairsNearestAndReportsLeftovers() {
        List<Long> flashes = List.of(1000 * MS, 2000 * MS, 3000 * MS, 5000 * MS);
        List<Long> bursts = List.of(1012 * MS, 1995 * MS, 4000 * MS, 5030 * MS);
        SyncMarkerAnalysis.Result r = SyncMarkerAnalysis.pair(flashes, bursts);
        assertEquals(3, r.markers().size());
        assertArrayEquals(new double[]{12, -5, 30}, r.skewsMillis(), 1e-9);
        assertEquals(List.of(3000 * MS), r.unpairedFlashNanos());
        assertEquals(List.of(4000 * MS), r.unpairedBurstNanos());
        assertEquals(30, r.maxAbsSkewMillis(), 1e-9);
    }

    @Test
    void percentileIsNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, SyncMarkerAnalysis.percentile(v, 50));
        assertEquals(5, SyncMarkerAnalysis.percentile(v, 95));
        assertEquals(1, SyncMarkerAnalysis.percentile(v, 0));
        assertTrue(Double.isNaN(SyncMarkerAnalysis.percentile(new double[0], 50)));
    }

    /** End to end over a Recording: video flash and audio burst at the same media time, audio played 7 ms later. */
    @Test
    void measuresTheSkewOfARecording() {
        Recording rec = new Recording(0);
        FlashDetector flashes = new FlashDetector();
        rec.addAnalyzer(flashes);
        long t0 = 10_000 * MS;
        short[] pcm = new short[4 * 48_000];
        for (int k = 0; k < 4; k++) ToneBurstDetectorTest.burst(pcm, k * 48_000 + 4_800);
        byte[] bytes = ToneBurstDetectorTest.bytes(pcm);
        for (int c = 0; c < 400; c++) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, c * 960, (c + 1) * 960);
            rec.onAudio(chunk, 48_000, t0 + 7 * MS + c * 10 * MS + (c % 3) * MS); // late wake-ups of up to 2 ms
        }
        for (int f = 0; f < 120; f++) {
            boolean flash = f % 30 == 3; // frame 3 of each second = 100 ms = sample 4800
            rec.onVideoFrame(FlashDetectorTest.face(512, 512, flash), 512, 512, t0 + f * 1_000_000_000L / 30);
        }
        SyncMarkerAnalysis.Result r = SyncMarkerAnalysis.analyze(rec, flashes);
        assertEquals(4, r.markers().size(), r.toString());
        for (double skew : r.skewsMillis()) {
            assertEquals(7.0, skew, 0.1);
        }
    }
}
