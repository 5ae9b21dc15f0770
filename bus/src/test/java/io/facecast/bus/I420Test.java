package io.facecast.bus;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class I420Test {
    @Test
    void overlayThenCropGivesThePatchBack() {
        int w = 16, h = 8;
        byte[] frame = new byte[I420.size(w, h)];
        byte[] patch = new byte[I420.size(4, 2)];
        for (int i = 0; i < patch.length; i++) patch[i] = (byte) (i + 1);
        I420.overlay(frame, w, h, patch, 6, 4, 4, 2);
        assertArrayEquals(patch, I420.crop(frame, w, h, 6, 4, 4, 2));
        assertEquals(0, frame[0]);
        assertEquals(1, frame[4 * w + 6]);
    }

    @Test
    void meanLumaOfUniformRegion() {
        byte[] frame = new byte[I420.size(8, 8)];
        java.util.Arrays.fill(frame, 0, 64, (byte) 200);
        assertEquals(200.0, I420.meanLuma(frame, 8, 2, 2, 4, 4), 1e-9);
    }

    @Test
    void patchOutsideFrameIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> I420.overlay(new byte[I420.size(8, 8)], 8, 8, new byte[I420.size(4, 4)], 6, 6, 4, 4));
    }
}
