package io.facecast.streamer.schedule;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idle->speech->speech->idle joins, sample by sample, for every supported rate and fps (uneven splits included). */
class JoinTest {

    @ParameterizedTest(name = "{0} Hz at {1} fps")
    @CsvSource({"48000,24", "48000,25", "48000,30", "16000,30", "16000,24", "24000,24", "24000,30", "16000,25"})
    void segmentsJoinIdleAndEachOtherWithoutGapOverlapRepeatOrSkip(int rate, int fps) {
        Rig rig = new Rig(fps, rate, SchedulerConfig.defaults()).withIdle();
        rig.runTo(1_003);
        long chunk = rate / 100;
        long lastChunkPushed = rig.sink.audioChunks - 1;
        Media.Utterance a = rig.utterance(1, 1_234);
        Media.Utterance b = rig.utterance(2, 777);
        rig.feed(a.all());
        rig.feed(b.all());
        rig.runTo(4_000);
        RecordingSink s = rig.sink;

        // A starts at the first frame whose first sample lies beyond the audio already pushed.
        long k0 = 0;
        while (rig.frameStart(k0) <= (lastChunkPushed + 1) * chunk) {
            k0++;
        }
        assertEquals(k0, s.firstSpeechFrame(0), "utterance 1 starts at the next free frame boundary");
        long kB = k0 + a.frames;
        assertSegmentPlayed(rig, a, k0);
        assertSegmentPlayed(rig, b, kB);

        // Silence everywhere else: before A, between A's last sample and B's first, after B.
        long s0 = rig.frameStart(k0), s0b = rig.frameStart(kB);
        for (long g = 0; g < s.audioSamples; g++) {
            boolean inA = g >= s0 && g < s0 + a.samples;
            boolean inB = g >= s0b && g < s0b + b.samples;
            if (!inA && !inB) {
                assertEquals(0, s.audio[(int) g], "silence at global sample " + g);
            }
        }
        for (long k = 0; k < s.videoCount; k++) {
            if (k < k0 || k >= kB + b.frames) {
                assertEquals(Media.BASE_LUMA, s.mouthLuma[(int) k], "idle mouth at frame " + k);
            }
        }

        List<RecordingListener.Event> ev = rig.listener.events;
        assertEquals(List.of(
                new RecordingListener.Event("started", 1, k0 * 1000 / fps, 0),
                new RecordingListener.Event("finished", 1, (kB - 1) * 1000 / fps, kB * 1000 / fps - k0 * 1000 / fps),
                new RecordingListener.Event("started", 2, kB * 1000 / fps, 0),
                new RecordingListener.Event("finished", 2, (kB + b.frames - 1) * 1000 / fps,
                        (kB + b.frames) * 1000 / fps - kB * 1000 / fps)), ev);
        SessionStats st = rig.scheduler.stats(rig.session);
        assertEquals(0, st.stalls());
        assertEquals(SpeechState.IDLE, st.state());
        assertEquals(0, st.bufferedMillis());
        assertEquals(0, s.badAudioSizes);
    }

    /**
     * Segment frame j is pushed at the due time of global frame k0+j, whose first sample is S0 + floor(j*rate/fps)
     * (within one sample where rate/fps is not whole), and segment sample i sounds at global sample S0+i.
     */
    static void assertSegmentPlayed(Rig rig, Media.Utterance u, long k0) {
        RecordingSink s = rig.sink;
        long s0 = rig.frameStart(k0);
        for (int j = 0; j < u.frames; j++) {
            long k = k0 + j;
            assertEquals(Media.patchLuma(u.id, j), s.mouthLuma[(int) k], "utterance " + u.id + " frame " + j);
            assertEquals(rig.videoDue(k), s.videoTimes[(int) k]);
            long drift = rig.frameStart(k) - (s0 + u.frameStart(j));
            assertTrue(drift >= 0 && drift <= 1, "frame/sample boundary off by " + drift);
            if (rig.rate % rig.fps == 0) {
                assertEquals(0, drift);
            }
        }
        for (long i = 0; i < u.samples; i++) {
            assertEquals(Media.sample(u.id, i), s.audio[(int) (s0 + i)], "utterance " + u.id + " sample " + i);
        }
    }
}
