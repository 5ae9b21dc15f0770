package io.facecast.streamer.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test audio delay (a deliberate lip-sync fault for meters): audio sounds exactly D ms after its video, on the
 * same 10 ms push grid, with nothing lost, repeated or moved on the video side; an interrupt still silences at once.
 */
class TestAudioDelayTest {

    @Test
    void everySampleOfAnUtteranceSoundsExactlyTheDelayAfterItsFrames() {
        int delayMs = 80;
        Rig plain = new Rig(25, 48_000, SchedulerConfig.defaults()).withIdle();
        Rig delayed = new Rig(25, 48_000, SchedulerConfig.defaults().withTestAudioDelayMillis(delayMs)).withIdle();
        for (Rig rig : new Rig[] {plain, delayed}) {
            rig.runTo(1_003);
            rig.feed(rig.utterance(1, 1_234).all());
            rig.runTo(4_000);
        }
        Media.Utterance u = plain.utterance(1, 1_234);
        int k0 = plain.sink.firstSpeechFrame(0);
        assertTrue(k0 > 0);
        // Video: the same frames at the same due times, with or without the delay.
        assertEquals(k0, delayed.sink.firstSpeechFrame(0));
        JoinTest.assertSegmentPlayed(plain, u, k0);
        for (int k = 0; k < plain.sink.videoCount; k++) {
            assertEquals(plain.sink.mouthLuma[k], delayed.sink.mouthLuma[k], "frame " + k);
            assertEquals(plain.sink.videoTimes[k], delayed.sink.videoTimes[k], "frame " + k + " pushed on time");
        }
        // Audio: chunks on the same 10 ms grid, every sample of the utterance D ms (D * 48 samples) later.
        long shift = delayMs * 48L;
        long s0 = plain.frameStart(k0);
        assertEquals(plain.sink.audioChunks, delayed.sink.audioChunks);
        for (int n = 0; n < plain.sink.audioChunks; n++) {
            assertEquals(plain.sink.audioTimes[n], delayed.sink.audioTimes[n], "chunk " + n + " pushed on time");
        }
        for (long i = 0; i < u.samples; i++) {
            assertEquals(Media.sample(1, i), delayed.sink.audio[(int) (s0 + shift + i)], "utterance sample " + i);
        }
        for (long g = 0; g < delayed.sink.audioSamples; g++) {
            if (g < s0 + shift || g >= s0 + shift + u.samples) {
                assertEquals(0, delayed.sink.audio[(int) g], "silence at global sample " + g);
            }
        }
        // The first speech sample leaves at the due time of the chunk D ms after the plain one.
        long plainChunk = plain.sink.firstNonZeroSample(0) / 480;
        long delayedChunk = delayed.sink.firstNonZeroSample(0) / 480;
        assertEquals(delayMs / 10, delayedChunk - plainChunk);
        assertEquals(delayMs * Rig.MS, delayed.sink.audioTimes[(int) delayedChunk] - plain.sink.audioTimes[(int) plainChunk]);
        assertEquals(0, delayed.sink.badAudioSizes);
        assertEquals(0, delayed.scheduler.stats(delayed.session).stalls());
    }

    @Test
    void anInterruptStillSilencesTheNextChunk() {
        Rig rig = new Rig(30, 48_000, SchedulerConfig.defaults().withTestAudioDelayMillis(120)).withIdle();
        rig.runTo(500);
        rig.feed(rig.utterance(7, 3_000).all());
        rig.runTo(2_000);
        int chunksBefore = rig.sink.audioChunks;
        long before = rig.sink.audioSamples;
        assertTrue(rig.sink.firstNonZeroSample(0) >= 0 && rig.sink.firstNonZeroSample(0) < before, "speech was on air");
        var cut = rig.scheduler.interrupt(rig.session, 7);
        rig.runTo(2_000); // the scheduler drains its inbox at once
        assertEquals(7, cut.join().utteranceId());
        rig.runTo(3_500);
        assertTrue(rig.sink.audioChunks > chunksBefore + 100);
        for (long g = before; g < rig.sink.audioSamples; g++) {
            assertEquals(0, rig.sink.audio[(int) g], "speech after the interrupt at global sample " + g);
        }
    }

    @Test
    void aDelayOutsideItsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfig.defaults().withTestAudioDelayMillis(-1));
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfig.defaults().withTestAudioDelayMillis(1001));
        assertEquals(0, SchedulerConfig.defaults().testAudioDelayMillis());
    }
}
