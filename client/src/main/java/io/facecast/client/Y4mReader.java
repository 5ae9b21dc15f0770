package io.facecast.client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Random access to the frames of a y4m file written by {@link Y4mWriter} (frame headers without parameters). */
public final class Y4mReader implements AutoCloseable {
    private final RandomAccessFile file;
    private final int width;
    private final int height;
    private final int fps;
    private final long dataStart;
    private final int frameSize;
    private final long frameCount;

    private Y4mReader(RandomAccessFile file, int width, int height, int fps, long dataStart) throws IOException {
        this.file = file;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.dataStart = dataStart;
        this.frameSize = I420Images.frameSize(width, height);
        this.frameCount = (file.length() - dataStart) / (6 + frameSize);
    }

    public static Y4mReader open(Path path) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
        try {
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = file.read()) != '\n') {
                if (c < 0 || header.length() > 256) {
                    throw new IOException(path + " is not a y4m file");
                }
                header.append((char) c);
            }
            String[] fields = header.toString().split(" ");
            if (!fields[0].equals("YUV4MPEG2")) {
                throw new IOException(path + " is not a y4m file");
            }
            int w = 0;
            int h = 0;
            int f = 0;
            for (String field : fields) {
                if (field.startsWith("W")) {
                    w = Integer.parseInt(field.substring(1));
                } else if (field.startsWith("H")) {
                    h = Integer.parseInt(field.substring(1));
                } else if (field.startsWith("F")) {
                    String[] ratio = field.substring(1).split(":");
                    f = Integer.parseInt(ratio[0]) / Math.max(1, Integer.parseInt(ratio[1]));
                }
            }
            return new Y4mReader(file, w, h, f, file.getFilePointer());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int fps() {
        return fps;
    }

    public long frameCount() {
        return frameCount;
    }

    public byte[] frame(long index) throws IOException {
        if (index < 0 || index >= frameCount) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frameCount);
        }
        file.seek(dataStart + index * (6 + frameSize));
        byte[] marker = new byte[6];
        file.readFully(marker);
        if (!new String(marker, StandardCharsets.US_ASCII).equals("FRAME\n")) {
            throw new IOException("frame " + index + " has no FRAME marker");
        }
        byte[] data = new byte[frameSize];
        file.readFully(data);
        return data;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
