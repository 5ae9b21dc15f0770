package io.facecast.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingTest {
    @Test
    void keepsInfoForEveryFrameButOnlyTheLatestFramesAndFeedsAnalyzers() {
        Recording recording = new Recording(3);
        List<Double> lumas = new ArrayList<>();
        recording.addAnalyzer(frame -> lumas.add(frame.meanLuma(0, 0, 4, 4)));
        for (int i = 0; i < 10; i++) {
            // 10 frames at exactly 25 fps on a synthetic clock.
            recording.onVideoFrame(WritersTest.frame(4, 4, 20 + i), 4, 4, 1_000_000_000L + i * 40_000_000L);
        }
        assertEquals(10, recording.frameCount());
        assertEquals(3, recording.frames().size());
        assertEquals(27.0, recording.frames().get(0).meanLuma(0, 0, 4, 4));
        assertEquals(10, lumas.size());
        assertEquals(25.0, recording.measuredFps(), 1e-9);
        assertEquals(1_000_000_000L, recording.frameInfos().get(0).arrivalNanos());
    }

    @Test
    void accumulatesAudio() {
        Recording recording = new Recording(0);
        for (int i = 0; i < 150; i++) {
            recording.onAudio(new byte[960], 48000, i * 10_000_000L);
        }
        assertEquals(48000, recording.audioSampleRate());
        assertEquals(1.5, recording.audioSeconds(), 1e-9);
        assertEquals(150 * 960, recording.audioPcm().length);
        assertEquals(150, recording.audioChunkArrivals().size());
        assertEquals(0, recording.frames().size());
    }
}
