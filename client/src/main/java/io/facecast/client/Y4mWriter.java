package io.facecast.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes raw I420 frames as YUV4MPEG2 (what ffmpeg/ffprobe and most players read). Frames whose size differs from
 * the header's are skipped and counted: a y4m file has one frame size.
 */
public final class Y4mWriter implements AutoCloseable {
    private static final byte[] FRAME = "FRAME\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final int width;
    private final int height;
    private final int frameSize;
    private long framesWritten;
    private long framesSkipped;

    private Y4mWriter(OutputStream out, int width, int height) {
        this.out = out;
        this.width = width;
        this.height = height;
        this.frameSize = I420Images.frameSize(width, height);
    }

    public static Y4mWriter open(Path file, int width, int height, int fps) throws IOException {
        if (width <= 0 || height <= 0 || fps <= 0) {
            throw new IllegalArgumentException("bad video format " + width + "x" + height + "@" + fps);
        }
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        out.write(header(width, height, fps).getBytes(StandardCharsets.US_ASCII));
        return new Y4mWriter(out, width, height);
    }

    /** The stream header: progressive, square pixels, 4:2:0 with JPEG/MPEG-1 chroma siting (I420's). */
    static String header(int width, int height, int fps) {
        return "YUV4MPEG2 W" + width + " H" + height + " F" + fps + ":1 Ip A1:1 C420jpeg\n";
    }

    public synchronized boolean write(byte[] i420, int frameWidth, int frameHeight) throws IOException {
        if (frameWidth != width || frameHeight != height || i420.length < frameSize) {
            framesSkipped++;
            return false;
        }
        out.write(FRAME);
        out.write(i420, 0, frameSize);
        framesWritten++;
        return true;
    }

    public synchronized long framesWritten() {
        return framesWritten;
    }

    public synchronized long framesSkipped() {
        return framesSkipped;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
