package io.facecast.renderer.audio;

import io.facecast.renderer.RendererException;

/** Raw s16le PCM, channels interleaved; several channels are mixed down to mono by averaging. */
public final class PcmDecoder implements AudioDecoder {
    public static final int MIN_RATE = 8_000;
    public static final int MAX_RATE = 192_000;
    public static final int MAX_CHANNELS = 2;

    private final int sampleRate;
    private final int channels;
    private final int frameBytes;
    private final byte[] carry;
    private int carried;

    public PcmDecoder(int sampleRate, int channels) {
        checkFormat(sampleRate, channels, "format");
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.frameBytes = 2 * channels;
        this.carry = new byte[frameBytes];
    }

    /** @throws RendererException INVALID_ARGUMENT naming {@code what} and the accepted ranges */
    public static void checkFormat(int sampleRate, int channels, String what) {
        if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
            throw RendererException.invalid(what + " sample_rate " + Integer.toUnsignedString(sampleRate) + " Hz is not supported; use "
                    + MIN_RATE + ".." + MAX_RATE + " Hz (16000, 22050, 24000, 44100 and 48000 are typical)");
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw RendererException.invalid(what + " channels " + Integer.toUnsignedString(channels) + " is not supported; use 1 (mono) or 2 (stereo)");
        }
        if (!Resampler.supports(sampleRate, BusAudio.SAMPLE_RATE)) {
            throw RendererException.invalid(what + " sample_rate " + sampleRate + " Hz cannot be resampled to "
                    + BusAudio.SAMPLE_RATE + " Hz exactly; use a common rate such as 16000, 22050, 24000, 44100 or 48000");
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public short[] decode(byte[] chunk) {
        int total = carried + chunk.length;
        int frames = total / frameBytes;
        short[] out = new short[frames];
        int pos = 0; // position in the virtual stream carry ++ chunk
        for (int f = 0; f < frames; f++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                int lo = byteAt(chunk, pos++) & 0xff;
                int hi = byteAt(chunk, pos++);
                sum += (short) ((hi << 8) | lo);
            }
            out[f] = (short) (sum / channels);
        }
        int rest = total - pos;
        byte[] newCarry = new byte[rest];
        for (int i = 0; i < rest; i++) {
            newCarry[i] = byteAt(chunk, pos + i);
        }
        System.arraycopy(newCarry, 0, carry, 0, rest);
        carried = rest;
        return out;
    }

    private byte byteAt(byte[] chunk, int pos) {
        return pos < carried ? carry[pos] : chunk[pos - carried];
    }

    @Override
    public void finish() {
        if (carried != 0) {
            throw RendererException.invalid("the audio ended inside a sample frame (" + carried + " stray byte(s)): PCM chunks must "
                    + "together hold whole frames of " + frameBytes + " bytes (16-bit samples x " + channels + " channel(s))");
        }
    }
}
