package io.facecast.streamer.schedule;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A renderer slower or faster than real time. */
class RendererTimingTest {

    @Test
    void nothingPlaysUntilTheStartLeadIsBufferedThenItStartsAligned() {
        Rig rig = new Rig(30).withIdle();
        rig.runTo(500);
        Media.Utterance u = rig.utterance(1, 2_000);
        rig.feed(u.head(8)); // 267 ms < 300 ms lead, no END
        rig.runTo(2_000);
        assertEquals(-1, rig.sink.firstSpeechFrame(0), "idle while not startable");
        assertEquals(-1, rig.sink.firstNonZeroSample(0), "silence while not startable");
        assertTrue(rig.listener.events.isEmpty());
        assertEquals(266, rig.scheduler.bufferedMillis(rig.session));

        rig.feed(u.frames(8, 9)); // 300 ms of both: startable
        rig.runTo(2_150);
        int k0 = rig.sink.firstSpeechFrame(0);
        assertTrue(rig.videoDue(k0) > rig.t0 + 2_000 * Rig.MS && rig.videoDue(k0) <= rig.t0 + 2_050 * Rig.MS,
                "starts at the next frame boundary, got frame " + k0);
        assertEquals(rig.frameStart(k0), rig.sink.firstNonZeroSample(0), "first sample on the first frame's start");
        rig.feed(u.frames(9, u.frames));
        rig.feed(List.of(u.end()));
        rig.runTo(5_000);
        JoinTest.assertSegmentPlayed(rig, u, k0);
        assertEquals(0, rig.scheduler.stats(rig.session).stalls());
    }

    @Test
    void aLateRendererMidSegmentHoldsAndKeepsAudioAndVideoAligned() {
        Rig rig = new Rig(30).withIdle();
        Media.Utterance u = rig.utterance(1, 4_000);
        rig.runTo(500);
        rig.feed(u.head(12));
        rig.runTo(3_000); // plays 12 frames, then the renderer is about 2 s late
        SessionStats during = rig.scheduler.stats(rig.session);
        assertEquals(1, during.stalls());
        assertEquals(SpeechState.SPEAKING, during.state(), "a hold is still speech");
        rig.feed(u.frames(12, u.frames));
        rig.feed(List.of(u.end()));
        rig.runTo(8_000);
        RecordingSink s = rig.sink;

        // Where each segment frame went out (patch lumas are unique per frame here).
        long[] at = new long[u.frames];
        int j = 0;
        int held = 0;
        for (int k = s.firstSpeechFrame(0); j < u.frames; k++) {
            if (s.mouthLuma[k] == Media.patchLuma(1, j)) {
                at[j++] = k;
            } else {
                assertEquals(Media.patchLuma(1, j - 1), s.mouthLuma[k], "a hold repeats the last frame, frame " + k);
                held++;
            }
        }
        SessionStats st = rig.scheduler.stats(rig.session);
        assertEquals(1, st.stalls());
        assertEquals(held, st.stalledFrames());
        assertTrue(held >= 60 && held <= 64, "held " + held + " frames over the ~2.1 s gap");
        assertEquals(at[11] + held + 1, at[12], "the rest is shifted by the whole held frames");

        // Each frame's own first sample sounds exactly when the frame starts: alignment survives the stall.
        for (j = 0; j < u.frames; j++) {
            long g = rig.frameStart(at[j]);
            assertEquals(Media.sample(1, u.frameStart(j)), s.audio[(int) g], "audio under frame " + j);
        }
        // And the audio is the utterance, every sample once, in order, with silence only in the hold.
        List<Short> heard = new ArrayList<>();
        for (long g = 0; g < s.audioSamples; g++) {
            if (s.audio[(int) g] != 0) {
                heard.add(s.audio[(int) g]);
            }
        }
        assertEquals(u.samples, heard.size());
        for (int i = 0; i < heard.size(); i++) {
            assertEquals(Media.sample(1, i), (short) heard.get(i), "sample " + i);
        }
        for (long g = rig.frameStart(at[11] + 1); g < rig.frameStart(at[12]); g++) {
            assertEquals(0, s.audio[(int) g], "silence while holding");
        }
        RecordingListener.Event finished = rig.listener.of("finished").get(0);
        assertEquals((at[u.frames - 1] + 1) * 1000 / 30 - at[0] * 1000 / 30, finished.value(), "duration includes the hold");
    }

    @Test
    void anEarlyRendererIsBufferedWithoutLossAndReportsItsLookAhead() {
        Rig rig = new Rig(30).withIdle();
        rig.runTo(100);
        Media.Utterance u = rig.utterance(1, 10_000);
        rig.feed(u.all());
        assertEquals(10_000, rig.scheduler.bufferedMillis(rig.session));
        assertFalse(rig.scheduler.hasRoom(rig.session), "10 s is beyond the look-ahead");
        rig.runTo(5_000);
        long mid = rig.scheduler.bufferedMillis(rig.session);
        assertTrue(mid > 5_000 && mid < 5_300, "about 5 s left: " + mid);
        rig.runTo(10_100 - SchedulerConfig.DEFAULT_LOOK_AHEAD_MILLIS + 100);
        assertTrue(rig.scheduler.hasRoom(rig.session), "room again once under the look-ahead: "
                + rig.scheduler.bufferedMillis(rig.session));
        rig.runTo(11_000);
        assertEquals(0, rig.scheduler.bufferedMillis(rig.session));
        JoinTest.assertSegmentPlayed(rig, u, rig.sink.firstSpeechFrame(0));
    }

    @Test
    void aRendererThatNeverFinishesIsGivenUpAfterTheStallLimit() {
        Rig rig = new Rig(30, 48_000, SchedulerConfig.defaults().withMaxStallMillis(1_000)).withIdle();
        Media.Utterance u = rig.utterance(1, 3_000);
        rig.feed(u.head(12));
        rig.runTo(3_000);
        SessionStats st = rig.scheduler.stats(rig.session);
        assertEquals(1, st.stalls());
        assertEquals(30, st.stalledFrames(), "1 s of holding at 30 fps");
        assertEquals(SpeechState.IDLE, st.state());
        assertEquals(List.of("started", "finished"), rig.listener.events.stream().map(RecordingListener.Event::kind).toList());
        int lastFrames = rig.sink.videoCount;
        rig.feed(u.frames(12, u.frames)); // too late: ignored
        rig.feed(List.of(u.end()));
        rig.runTo(6_000);
        for (int k = lastFrames; k < rig.sink.videoCount; k++) {
            assertEquals(Media.BASE_LUMA, rig.sink.mouthLuma[k]);
        }
        assertEquals(0, rig.scheduler.bufferedMillis(rig.session));
        Media.Utterance next = rig.utterance(2, 500);
        rig.feed(next.all());
        rig.runTo(7_000);
        assertEquals(2, rig.listener.of("finished").size(), "the next utterance plays");
    }

    @Test
    void aSegmentLeftWithoutEndPlaysAsFarAsItGotWhenTheNextOneStarts() {
        Rig rig = new Rig(25).withIdle();
        Media.Utterance cut = rig.utterance(1, 2_000);
        Media.Utterance next = rig.utterance(2, 1_000);
        rig.feed(cut.head(10)); // the renderer dropped it after 10 frames...
        rig.feed(next.all());   // ...and went on with the next
        rig.runTo(3_000);
        int k0 = rig.sink.firstSpeechFrame(0);
        for (int j = 0; j < 10; j++) {
            assertEquals(Media.patchLuma(1, j), rig.sink.mouthLuma[k0 + j]);
        }
        JoinTest.assertSegmentPlayed(rig, next, k0 + 10);
        assertEquals(0, rig.scheduler.stats(rig.session).stalls());
        assertEquals(List.of("started", "finished", "started", "finished"),
                rig.listener.events.stream().map(RecordingListener.Event::kind).toList());
    }

    @Test
    void aRendererAtRealTimePaceStreamsALongUtteranceExactly() {
        Rig rig = new Rig(24).withIdle();
        Media.Utterance u = rig.utterance(1, 30_000);
        rig.feed(u.head(12));
        // Then 12 frames (500 ms) every 500 ms: half a second ahead of playback, for 30 s of speech.
        int fed = 12;
        for (long t = 0; fed < u.frames; t += 500) {
            rig.feed(u.frames(fed, fed + 12));
            fed += 12;
            if (fed >= u.frames) {
                rig.feed(List.of(u.end()));
            }
            rig.runTo(t + 500);
            assertTrue(rig.scheduler.bufferedMillis(rig.session) <= 1_000, "bounded by the renderer's pace");
        }
        rig.runTo(33_000);
        JoinTest.assertSegmentPlayed(rig, u, rig.sink.firstSpeechFrame(0));
        assertEquals(0, rig.scheduler.stats(rig.session).stalls());
    }
}
