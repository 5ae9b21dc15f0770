package io.facecast.renderer.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test signals and WAV files built in memory. */
public final class TestAudio {
    private TestAudio() {}

    public static short[] sine(double hz, int rate, int samples, double amplitude) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return out;
    }

    /** Deterministic white noise. */
    public static short[] noise(int samples, double amplitude, long seed) {
        java.util.Random r = new java.util.Random(seed);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * (r.nextDouble() * 2 - 1));
        }
        return out;
    }

    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    public static byte[] s16le(short[] pcm) {
        ByteBuffer b = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm) {
            b.putShort(s);
        }
        return b.array();
    }

    /** A WAV file: format code, channels, rate, bits, the data (interleaved s16le when bits = 16). */
    public static byte[] wav(int format, int channels, int rate, int bits, byte[] data, long declaredDataSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(44 + 12).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + 12 + declaredDataSize));
        h.put("WAVE".getBytes(StandardCharsets.US_ASCII));
        // A LIST chunk before fmt, as some encoders write, to exercise chunk skipping.
        h.put("LIST".getBytes(StandardCharsets.US_ASCII)).putInt(4).put("INFO".getBytes(StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) format).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) declaredDataSize);
        out.write(h.array(), 0, h.position());
        out.write(data, 0, data.length);
        return out.toByteArray();
    }

    public static byte[] wav16(int channels, int rate, short[] interleaved) {
        byte[] data = s16le(interleaved);
        return wav(1, channels, rate, 16, data, data.length);
    }

    public static byte[] concat2(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
