package io.facecast.streamer.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.facecast.streamer.schedule.Media.loopFrame;
import static io.facecast.streamer.schedule.Media.loopLuma;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An idle loop of N frames plays frame k mod N under blinks and speech, from the frame index alone; with hold counts,
 * each loop frame for its hold count of video frames.
 */
class IdleLoopTest {

    @ParameterizedTest
    @ValueSource(ints = {24, 25, 30})
    void aThreeFrameLoopCyclesThroughIdleUnderSpeechAndBack(int fps) {
        Rig rig = new Rig(fps);
        rig.feed(List.of(loopFrame(rig.session, fps, 0, 3), loopFrame(rig.session, fps, 1, 3),
                loopFrame(rig.session, fps, 2, 3), Media.eyesClosed(rig.session)));
        rig.runTo(1_000);
        Media.Utterance u = rig.utterance(1, 1_000);
        rig.feed(u.all());
        rig.runTo(9_000);

        RecordingSink s = rig.sink;
        BlinkSchedule blink = new BlinkSchedule(42, fps);
        int first = -1, speech = 0, blinks = 0;
        for (int k = 0; k < s.videoCount; k++) {
            int base = loopLuma(k % 3);
            assertEquals(base, s.cornerLuma[k], "frame " + k + " is laid on loop frame k mod 3");
            boolean speaking = s.mouthLuma[k] != base;
            if (speaking) {
                if (first < 0) {
                    first = k;
                }
                assertEquals(Media.patchLuma(1, k - first), s.mouthLuma[k], "mouth patch of frame " + k);
                speech++;
            }
            boolean closed = blink.eyesClosed(k);
            assertEquals(closed ? Media.EYES_LUMA : base, s.eyesLuma[k], "eyes of frame " + k);
            blinks += closed ? 1 : 0;
        }
        assertEquals(9 * fps + 1, s.videoCount);
        assertEquals(u.frames, speech, "every speech frame, contiguous");
        assertTrue(first >= fps && first + speech < s.videoCount - fps, "idle loop before and after the speech");
        assertTrue(blinks >= 2 * BlinkSchedule.BLINK_FRAMES, "blinks still overlay the loop: " + blinks);
        assertEquals(0, rig.scheduler.stats(rig.session).stalls());
    }

    @Test
    void untilTheWholeLoopArrivedWhatArrivedStandsIn() {
        Rig rig = new Rig(25);
        rig.runTo(100);
        int grey = rig.sink.videoCount;
        rig.feed(List.of(loopFrame(rig.session, 25, 1, 3))); // frame 1 before frame 0: it stands in for all
        rig.runTo(400);
        int oneOnly = rig.sink.videoCount;
        rig.feed(List.of(loopFrame(rig.session, 25, 0, 3))); // frame 0 now stands in for the missing frame 2
        rig.runTo(800);
        int twoOfThree = rig.sink.videoCount;
        rig.feed(List.of(loopFrame(rig.session, 25, 2, 3)));
        rig.runTo(1_200);

        RecordingSink s = rig.sink;
        for (int k = 0; k < s.videoCount; k++) {
            int expected;
            if (k < grey) {
                expected = Media.GREY;
            } else if (k < oneOnly) {
                expected = loopLuma(1);
            } else if (k < twoOfThree) {
                expected = k % 3 == 1 ? loopLuma(1) : loopLuma(0);
            } else {
                expected = loopLuma(k % 3);
            }
            assertEquals(expected, s.cornerLuma[k], "frame " + k);
        }
        assertTrue(grey > 0 && oneOnly > grey + 3 && twoOfThree > oneOnly + 3 && s.videoCount > twoOfThree + 3);
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 25, 30})
    void eachLoopFrameShowsForItsHoldCountUnderBlinksAndSpeech(int fps) {
        int[] holds = {12, 1, 30, 4}; // period 47 video frames
        Rig rig = new Rig(fps);
        rig.feed(List.of(loopFrame(rig.session, fps, 0, 4, holds[0]), loopFrame(rig.session, fps, 1, 4, holds[1]),
                loopFrame(rig.session, fps, 2, 4, holds[2]), loopFrame(rig.session, fps, 3, 4, holds[3]),
                Media.eyesClosed(rig.session)));
        rig.runTo(2_000);
        Media.Utterance u = rig.utterance(1, 1_500);
        rig.feed(u.all());
        rig.runTo(10_000);

        RecordingSink s = rig.sink;
        // Expected from the holds alone: runs of loop frames 0, 1, 2, 3, 0, ... of lengths 12, 1, 30, 4, 12, ...
        int index = 0, left = holds[0], speech = 0;
        for (int k = 0; k < s.videoCount; k++) {
            if (left == 0) {
                index = (index + 1) % holds.length;
                left = holds[index];
            }
            left--;
            assertEquals(loopLuma(index), s.cornerLuma[k], "frame " + k + " shows loop frame " + index);
            speech += s.mouthLuma[k] != loopLuma(index) ? 1 : 0;
        }
        assertEquals(10 * fps + 1, s.videoCount);
        assertTrue(s.videoCount > 4 * 47, "several periods: " + s.videoCount);
        assertEquals(u.frames, speech, "the loop runs on under speech");
        assertEquals(0, rig.scheduler.stats(rig.session).stalls());
        // A held loop frame is not composed again: the sink is told it is the same picture (and it is).
        assertEquals(0, s.badRepeats, "a frame pushed as a repeat showed another picture");
        assertTrue(s.repeats > s.videoCount / 2, "held idle frames go out as repeats: " + s.repeats + " of "
                + s.videoCount);
    }

    @Test
    void holdsOutsideOneTo255AreRefusedAndZeroMeansOne() {
        Rig rig = new Rig(25);
        rig.feed(List.of(loopFrame(rig.session, 25, 0, 2, 0), loopFrame(rig.session, 25, 1, 2, 3)));
        rig.feed(List.of(loopFrame(rig.session, 25, 0, 2, FrameComposer.MAX_HOLD + 1), // too long a hold
                loopFrame(rig.session, 25, 1, 2, -1)));
        rig.runTo(1_000);
        RecordingSink s = rig.sink;
        for (int k = 0; k < s.videoCount; k++) {
            assertEquals(loopLuma(k % 4 == 0 ? 0 : 1), s.cornerLuma[k], "frame " + k + ": holds 1 (from 0) and 3");
        }
        assertTrue(s.videoCount >= 25);
    }

    @Test
    void invalidLoopFramesAreRefusedAndANewLengthStartsANewLoop() {
        Rig rig = new Rig(25);
        rig.feed(List.of(loopFrame(rig.session, 25, 0, 3), loopFrame(rig.session, 25, 1, 3),
                loopFrame(rig.session, 25, 2, 3)));
        rig.feed(List.of(loopFrame(rig.session, 25, 3, 3), // past the loop's end
                loopFrame(rig.session, 25, 0, FrameComposer.MAX_LOOP + 1), // too long a loop
                loopFrame(rig.session, 25, 0, -2)));
        rig.runTo(400);
        int threeLoop = rig.sink.videoCount;
        rig.feed(List.of(loopFrame(rig.session, 25, 1, 2))); // a 2-frame loop replaces it, frame 1 first
        rig.runTo(800);
        int oneOfTwo = rig.sink.videoCount;
        rig.feed(List.of(loopFrame(rig.session, 25, 0, 2)));
        rig.runTo(1_200);

        RecordingSink s = rig.sink;
        for (int k = 0; k < s.videoCount; k++) {
            int expected = k < threeLoop ? loopLuma(k % 3) : k < oneOfTwo ? loopLuma(1) : loopLuma(k % 2);
            assertEquals(expected, s.cornerLuma[k], "frame " + k);
        }
        assertTrue(threeLoop > 6 && oneOfTwo > threeLoop + 3 && s.videoCount > oneOfTwo + 3);
    }
}
