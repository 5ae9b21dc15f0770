package io.facecast.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritersTest {
    @TempDir
    Path dir;

    static byte[] frame(int w, int h, int luma) {
        byte[] f = new byte[I420Images.frameSize(w, h)];
        Arrays.fill(f, 0, w * h, (byte) luma);
        Arrays.fill(f, w * h, f.length, (byte) 128);
        return f;
    }

    @Test
    void y4mHasHeaderFramesAndExactSize() throws Exception {
        Path file = dir.resolve("v.y4m");
        try (Y4mWriter writer = Y4mWriter.open(file, 64, 48, 25)) {
            assertTrue(writer.write(frame(64, 48, 16), 64, 48));
            assertTrue(writer.write(frame(64, 48, 235), 64, 48));
            assertFalse(writer.write(frame(32, 32, 100), 32, 32), "a frame of another size is skipped");
            assertEquals(2, writer.framesWritten());
            assertEquals(1, writer.framesSkipped());
        }
        String header = "YUV4MPEG2 W64 H48 F25:1 Ip A1:1 C420jpeg\n";
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(header, new String(bytes, 0, header.length(), StandardCharsets.US_ASCII));
        assertEquals(header.length() + 2 * (6 + 64 * 48 * 3 / 2), bytes.length);
        assertEquals("FRAME\n", new String(bytes, header.length(), 6, StandardCharsets.US_ASCII));

        try (Y4mReader reader = Y4mReader.open(file)) {
            assertEquals(64, reader.width());
            assertEquals(48, reader.height());
            assertEquals(25, reader.fps());
            assertEquals(2, reader.frameCount());
            assertArrayEquals(frame(64, 48, 235), reader.frame(1));
        }
    }

    @Test
    void wavHeaderDescribesMono16Bit48k() throws Exception {
        Path file = dir.resolve("a.wav");
        byte[] pcm = new byte[48000 * 2]; // one second
        pcm[1] = 0x7f;
        WavWriter.write(file, pcm, 48000, 1);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(44 + pcm.length, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(36 + pcm.length, b.getInt(4));
        assertEquals("WAVE", new String(bytes, 8, 4, StandardCharsets.US_ASCII));
        assertEquals("fmt ", new String(bytes, 12, 4, StandardCharsets.US_ASCII));
        assertEquals(16, b.getInt(16));
        assertEquals(1, b.getShort(20));
        assertEquals(1, b.getShort(22));
        assertEquals(48000, b.getInt(24));
        assertEquals(96000, b.getInt(28));
        assertEquals(2, b.getShort(32));
        assertEquals(16, b.getShort(34));
        assertEquals("data", new String(bytes, 36, 4, StandardCharsets.US_ASCII));
        assertEquals(pcm.length, b.getInt(40));
        assertEquals(0x7f, bytes[45]);
        // And Java Sound agrees.
        var format = javax.sound.sampled.AudioSystem.getAudioFileFormat(file.toFile());
        assertEquals(48000, format.getFormat().getSampleRate());
        assertEquals(48000, format.getFrameLength());
    }

    @Test
    void contactSheetSamplesFirstAndLastFrameAndIsReadableBack() throws Exception {
        Path video = dir.resolve("v.y4m");
        try (Y4mWriter writer = Y4mWriter.open(video, 64, 64, 30)) {
            for (int i = 0; i < 40; i++) {
                // First frame black, last frame white, the rest mid grey.
                writer.write(frame(64, 64, i == 0 ? 16 : i == 39 ? 235 : 126), 64, 64);
            }
        }
        Path png = dir.resolve("sheet.png");
        assertEquals(16, ContactSheet.write(video, png, 4, 4, 32));
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "PNG readable");
        assertEquals(4 * 32 + 5 * 2, image.getWidth());
        assertEquals(4 * 32 + 5 * 2, image.getHeight());
        int first = image.getRGB(2 + 16, 2 + 16) & 0xff;
        int last = image.getRGB(2 + 3 * 34 + 16, 2 + 3 * 34 + 16) & 0xff;
        int middle = image.getRGB(2 + 34 + 16, 2 + 16) & 0xff;
        assertTrue(first < 5, "first cell black: " + first);
        assertTrue(last > 250, "last cell white: " + last);
        assertTrue(middle > 115 && middle < 140, "middle cell grey: " + middle);
    }

    @Test
    void contactSheetWithFewFramesLeavesCellsEmpty() throws Exception {
        Path video = dir.resolve("v.y4m");
        try (Y4mWriter writer = Y4mWriter.open(video, 32, 16, 30)) {
            writer.write(frame(32, 16, 235), 32, 16);
        }
        Path png = dir.resolve("sheet.png");
        assertEquals(1, ContactSheet.write(video, png, 4, 4, 32));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(4 * 16 + 5 * 2, image.getHeight(), "cells keep the 2:1 aspect ratio");
    }

    @Test
    void meanLumaOfARectangle() {
        int w = 8;
        int h = 4;
        byte[] f = frame(w, h, 16);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w / 2; x++) {
                f[y * w + x] = (byte) 200;
            }
        }
        assertEquals(200.0, I420Images.meanLuma(f, w, h, 0, 0, 4, 4));
        assertEquals(16.0, I420Images.meanLuma(f, w, h, 4, 0, 4, 4));
        assertEquals(108.0, I420Images.meanLuma(f, w, h, 2, 0, 4, 4));
        assertEquals(16.0, I420Images.meanLuma(f, w, h, 6, 2, 100, 100), "clipped to the frame");
    }
}
