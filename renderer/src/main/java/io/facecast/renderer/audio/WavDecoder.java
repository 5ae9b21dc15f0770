package io.facecast.renderer.audio;

import io.facecast.renderer.RendererException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A WAV file arriving in chunks: the RIFF header is collected until the "data" chunk starts, then the samples are
 * decoded as they come. Only 16-bit PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM sub-format) is accepted. A
 * data size of 0, 0xFFFFFFFF or anything from {@link #PLACEHOLDER_MIN} up (what streaming encoders write: espeak-ng
 * --stdout writes 0x7FFFF000) means "until the end of the stream"; bytes after a declared data size (trailing chunks
 * such as LIST) are ignored.
 */
public final class WavDecoder implements AudioDecoder {
    /** A header longer than this is not a WAV header we want to keep buffering. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;
    /** A declared data size this large (about 2 GiB: over 3 hours of 48 kHz stereo) is a streaming placeholder. */
    static final long PLACEHOLDER_MIN = 0x7FFF0000L;
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private PcmDecoder pcm;
    private boolean inData;
    private long dataRemaining = -1; // -1: unbounded
    private long dataDeclared;
    private long dataSeen;
    private long bytesSeen;

    @Override
    public int sampleRate() {
        return pcm == null ? 0 : pcm.sampleRate();
    }

    @Override
    public short[] decode(byte[] chunk) {
        bytesSeen += chunk.length;
        if (inData) {
            return data(chunk, 0);
        }
        header.write(chunk, 0, chunk.length);
        byte[] h = header.toByteArray();
        int dataStart = parseHeader(h);
        if (dataStart < 0) {
            if (h.length > MAX_HEADER_BYTES) {
                throw RendererException.invalid("WAV header has no 'data' chunk within its first " + MAX_HEADER_BYTES + " bytes");
            }
            return new short[0];
        }
        header.reset();
        inData = true;
        return data(h, dataStart);
    }

    private short[] data(byte[] bytes, int from) {
        int n = bytes.length - from;
        if (dataRemaining >= 0) {
            n = (int) Math.min(n, dataRemaining);
            dataRemaining -= n;
        }
        dataSeen += n;
        byte[] part = from == 0 && n == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, from, from + n);
        return pcm.decode(part);
    }

    /** Offset of the first sample byte once the header is complete, -1 while more bytes are needed. */
    private int parseHeader(byte[] h) {
        if (h.length >= 4 && !ascii(h, 0).equals("RIFF")) {
            throw RendererException.invalid("not a WAV file: it starts with " + printable(h, 0) + ", expected 'RIFF'"
                    + " (send raw PCM with an AudioFormat instead of wav=true if that is what it is)");
        }
        if (h.length >= 12 && !ascii(h, 8).equals("WAVE")) {
            throw RendererException.invalid("not a WAV file: RIFF form type is " + printable(h, 8) + ", expected 'WAVE'");
        }
        int pos = 12;
        boolean haveFmt = false;
        while (pos + 8 <= h.length) {
            String id = ascii(h, pos);
            long size = u32(h, pos + 4);
            int body = pos + 8;
            if (id.equals("data")) {
                if (!haveFmt) {
                    throw RendererException.invalid("WAV 'data' chunk at byte " + pos + " comes before any 'fmt ' chunk");
                }
                dataDeclared = size;
                dataRemaining = size == 0 || size >= PLACEHOLDER_MIN ? -1 : size;
                return body;
            }
            if (body + size > h.length) {
                return -1;
            }
            if (id.equals("fmt ")) {
                readFmt(h, body, (int) size);
                haveFmt = true;
            }
            pos = body + (int) size + (int) (size & 1);
        }
        return -1;
    }

    private void readFmt(byte[] h, int at, int size) {
        if (size < 16) {
            throw RendererException.invalid("WAV 'fmt ' chunk is " + size + " bytes; a PCM format needs at least 16");
        }
        int format = u16(h, at);
        int channels = u16(h, at + 2);
        int rate = (int) Math.min(Integer.MAX_VALUE, u32(h, at + 4));
        int bits = u16(h, at + 14);
        if (format == FORMAT_EXTENSIBLE && size >= 40) {
            format = u16(h, at + 24); // first two bytes of the sub-format GUID carry the format code
        }
        if (format != FORMAT_PCM) {
            throw RendererException.invalid("WAV format code " + format + (format == 3 ? " (IEEE float)" : "")
                    + " is not supported; send 16-bit integer PCM (format 1)");
        }
        if (bits != 16) {
            throw RendererException.invalid("WAV has " + bits + " bits per sample; only 16-bit PCM is supported");
        }
        PcmDecoder.checkFormat(rate, channels, "WAV");
        pcm = new PcmDecoder(rate, channels);
    }

    @Override
    public void finish() {
        if (!inData) {
            throw RendererException.invalid("truncated WAV: the stream ended after " + bytesSeen
                    + " bytes, before the header was complete (no 'fmt ' and 'data' chunks yet)");
        }
        if (dataRemaining > 0) {
            throw RendererException.invalid("truncated WAV: its 'data' chunk declares " + dataDeclared + " bytes but only "
                    + dataSeen + " arrived");
        }
        pcm.finish();
    }

    private static String ascii(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte[] b, int at) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = at; i < at + 4; i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.append('\'').toString();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
