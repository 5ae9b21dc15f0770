package io.facecast.streamer.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.facecast.streamer.schedule.Media.loopFrame;
import static io.facecast.streamer.schedule.Media.loopLuma;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An idle loop of N frames plays frame k mod N under blinks and speech, from the frame index alone. */
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
