package io.facecast.streamer.schedule;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.facecast.streamer.schedule.Rig.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterruptTest {

    @ParameterizedTest
    @ValueSource(ints = {24, 25, 30})
    void speechLeavesTheWireAtTheNextChunkAndFrameAndTheNextUtterancePlays(int fps) {
        Rig rig = new Rig(fps).withIdle();
        rig.runTo(100);
        Media.Utterance a = rig.utterance(1, 3_000);
        Media.Utterance b = rig.utterance(2, 1_000);
        rig.feed(a.all());
        rig.feed(b.head(20)); // queued, still arriving
        rig.runTo(1_234);
        long interruptAt = rig.clock.nanoTime();
        int framesBefore = rig.sink.videoCount;
        int chunksBefore = rig.sink.audioChunks;
        long heardBefore = rig.sink.audioSamples - rig.frameStart(rig.sink.firstSpeechFrame(0));

        var result = rig.scheduler.interrupt(rig.session, 2);
        rig.runTo(1_234); // the scheduler drains its inbox at once
        assertEquals(new InterruptResult(1, heardBefore * 1000 / rig.rate), result.join());

        rig.feed(a.all()); // records of discarded utterances still on their way
        rig.feed(b.frames(20, b.frames));
        rig.feed(List.of(b.end()));
        rig.runTo(3_000);
        RecordingSink s = rig.sink;
        // Audio: nothing of the utterance from the first chunk after the interrupt.
        assertTrue(rig.audioDue(chunksBefore) - interruptAt <= 10 * MS);
        for (long g = (long) chunksBefore * rig.rate / 100; g < s.audioSamples; g++) {
            assertEquals(0, s.audio[(int) g], "silence after the interrupt, sample " + g);
        }
        // Video: idle from the first frame after the interrupt.
        assertTrue(rig.videoDue(framesBefore) - interruptAt <= 1_000_000_000L / fps);
        assertTrue(s.mouthLuma[framesBefore - 1] != Media.BASE_LUMA, "was speaking");
        for (int k = framesBefore; k < s.videoCount; k++) {
            assertEquals(Media.BASE_LUMA, s.mouthLuma[k], "idle after the interrupt, frame " + k);
        }
        assertEquals(List.of(
                new RecordingListener.Event("started", 1, rig.sink.firstSpeechFrame(0) * 1000L / fps, 0),
                new RecordingListener.Event("interrupted", 1, framesBefore * 1000L / fps, heardBefore * 1000 / rig.rate)),
                rig.listener.events);
        assertEquals(0, rig.scheduler.bufferedMillis(rig.session), "discarded media is not buffered");
        assertEquals(SpeechState.IDLE, rig.scheduler.stats(rig.session).state());

        Media.Utterance c = rig.utterance(3, 700);
        rig.feed(c.all());
        rig.runTo(4_500);
        int kc = s.firstSpeechFrame(framesBefore);
        JoinTest.assertSegmentPlayed(rig, c, kc);
        assertEquals(List.of("started", "interrupted", "started", "finished"),
                rig.listener.events.stream().map(RecordingListener.Event::kind).toList());

        assertEquals(InterruptResult.NOTHING_CUT, interruptNow(rig, 3), "nothing on air: nothing cut");
        assertEquals(4, rig.listener.events.size(), "and no event");
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 30})
    void interruptingAQueuedUtteranceLeavesThePlayingOneAlone(int fps) {
        Rig rig = new Rig(fps).withIdle();
        Media.Utterance a = rig.utterance(5, 1_000);
        Media.Utterance b = rig.utterance(6, 1_000);
        rig.feed(a.all());
        rig.runTo(300);
        // The client cancels only what it queued after: ids <= 4 are long gone, 5 plays on.
        assertEquals(InterruptResult.NOTHING_CUT, interruptNow(rig, 4));
        rig.feed(b.all());
        rig.runTo(3_000);
        int k0 = rig.sink.firstSpeechFrame(0);
        JoinTest.assertSegmentPlayed(rig, a, k0);
        JoinTest.assertSegmentPlayed(rig, b, k0 + a.frames);
    }

    @ParameterizedTest
    @ValueSource(ints = {25, 30})
    void interruptDuringAStallCutsTheHeldUtterance(int fps) {
        Rig rig = new Rig(fps).withIdle();
        Media.Utterance a = rig.utterance(1, 2_000);
        rig.feed(a.head(12));
        rig.runTo(1_000);
        assertEquals(SpeechState.SPEAKING, rig.scheduler.stats(rig.session).state());
        InterruptResult r = interruptNow(rig, 1);
        assertEquals(1, r.utteranceId());
        assertEquals(12L * 1000 / fps, r.positionMs(), "12 frames of audio were played");
        int after = rig.sink.videoCount;
        rig.runTo(2_000);
        assertEquals(Media.BASE_LUMA, rig.sink.mouthLuma[after]);
        assertEquals(SpeechState.IDLE, rig.scheduler.stats(rig.session).state());
    }

    private static InterruptResult interruptNow(Rig rig, long through) {
        var f = rig.scheduler.interrupt(rig.session, through);
        rig.scheduler.runUntil(rig.clock.nanoTime());
        return f.join();
    }
}
