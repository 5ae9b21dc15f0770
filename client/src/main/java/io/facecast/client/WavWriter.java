package io.facecast.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes signed 16-bit little-endian PCM as a canonical 44-byte-header WAV file. */
public final class WavWriter {
    public static final int HEADER_BYTES = 44;

    private WavWriter() {
    }

    public static void write(Path file, byte[] pcm, int sampleRate, int channels) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header(pcm.length, sampleRate, channels));
            out.write(pcm);
        }
    }

    static byte[] header(int dataBytes, int sampleRate, int channels) {
        int blockAlign = channels * 2;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        header.putInt(36 + dataBytes);
        header.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        header.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        header.putInt(16);
        header.putShort((short) 1); // PCM
        header.putShort((short) channels);
        header.putInt(sampleRate);
        header.putInt(sampleRate * blockAlign);
        header.putShort((short) blockAlign);
        header.putShort((short) 16);
        header.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        header.putInt(dataBytes);
        return header.array();
    }
}
