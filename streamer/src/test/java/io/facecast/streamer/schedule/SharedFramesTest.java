package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedFramesTest {
    @Test
    void sessionsOfOnePackHoldEachLoopFrameOnce() {
        FrameComposer a = new FrameComposer(Media.W, Media.H);
        FrameComposer b = new FrameComposer(Media.W, Media.H);
        BusMessage.IdleBase fromA = Media.loopFrame("a", 25, 1, 3);
        BusMessage.IdleBase fromB = Media.loopFrame("b", 25, 1, 3);
        assertNotSame(fromA.i420(), fromB.i420()); // each session's reader decoded its own copy
        assertTrue(a.setBase(fromA));
        assertTrue(b.setBase(fromB));
        assertSame(a.loopFrame(1), b.loopFrame(1));
    }

    @Test
    void differentFramesAreNotShared() {
        FrameComposer a = new FrameComposer(Media.W, Media.H);
        FrameComposer b = new FrameComposer(Media.W, Media.H);
        assertTrue(a.setBase(Media.loopFrame("a", 25, 0, 2)));
        assertTrue(b.setBase(Media.loopFrame("b", 25, 1, 2)));
        a.compose(0, false, null);
        b.compose(1, false, null);
        assertEquals(Media.loopLuma(0), a.frame()[0] & 0xff);
        assertEquals(Media.loopLuma(1), b.frame()[0] & 0xff);
        assertArrayEquals(Media.plane(Media.W, Media.H, Media.loopLuma(0)), a.loopFrame(0));
    }
}
