package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Composing reports whether the picture changed, so an unchanged one is neither copied nor sent as new. */
class FrameComposerTest {
    private static BusMessage.Video mouth(int x, int luma) {
        return new BusMessage.Video("s", 1, 0, 25, Media.W, Media.H,
                new BusMessage.Region(x, Media.MOUTH_Y, Media.MOUTH_W, Media.MOUTH_H),
                Media.plane(Media.MOUTH_W, Media.MOUTH_H, luma), 0);
    }

    @Test
    void theSamePictureIsNotComposedTwice() {
        FrameComposer c = new FrameComposer(Media.W, Media.H);
        assertTrue(c.compose(0, false, null), "the first frame (mid-grey) is new");
        assertFalse(c.compose(1, false, null), "still mid-grey");
        assertTrue(c.setBase(Media.loopFrame("s", 25, 0, 2, 3)));
        assertTrue(c.setBase(Media.loopFrame("s", 25, 1, 2, 1)));
        assertTrue(c.compose(0, false, null), "the idle base arrived");
        assertFalse(c.compose(1, false, null), "loop frame 0 is held 3 frames");
        assertFalse(c.compose(2, false, null));
        assertTrue(c.compose(3, false, null), "loop frame 1");
        assertEquals(Media.loopLuma(1), c.frame()[0] & 0xff);
        assertTrue(c.compose(4, false, null), "back to loop frame 0");
        assertEquals(Media.loopLuma(0), c.frame()[0] & 0xff);
    }

    @Test
    void eyesAndMouthCountByPlaceAndPixels() {
        FrameComposer c = new FrameComposer(Media.W, Media.H);
        assertTrue(c.setBase(Media.loopFrame("s", 25, 0, 1)));
        assertTrue(c.setEyesClosed(Media.eyesClosed("s")));
        assertTrue(c.compose(0, false, null));
        assertTrue(c.compose(1, true, null), "eyes closed");
        assertFalse(c.compose(2, true, null), "still closed");
        assertTrue(c.compose(3, false, null), "eyes open again");
        assertTrue(c.compose(4, false, mouth(Media.MOUTH_X, 200)), "a mouth");
        assertFalse(c.compose(5, false, mouth(Media.MOUTH_X, 200)), "another record with the same pixels");
        assertTrue(c.compose(6, false, mouth(Media.MOUTH_X, 201)), "one level brighter");
        assertTrue(c.compose(7, false, mouth(Media.MOUTH_X + 2, 201)), "the same pixels elsewhere");
        int y = Media.MOUTH_Y * Media.W + Media.MOUTH_X + 2;
        assertEquals(201, c.frame()[y] & 0xff);
        assertTrue(c.compose(8, false, null), "no mouth");
        assertEquals(Media.loopLuma(0), c.frame()[y] & 0xff);
    }
}
