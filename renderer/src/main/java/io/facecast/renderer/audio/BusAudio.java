package io.facecast.renderer.audio;

/** The audio format the streamer expects on the bus: 48 kHz mono s16le. */
public final class BusAudio {
    public static final int SAMPLE_RATE = io.facecast.bus.MediaFormat.SAMPLE_RATE;
    public static final int CHANNELS = io.facecast.bus.MediaFormat.CHANNELS;

    private BusAudio() {}

    /** Little-endian bytes of samples [from, to). */
    public static byte[] toS16le(short[] pcm, int from, int to) {
        byte[] out = new byte[(to - from) * 2];
        for (int i = from, j = 0; i < to; i++, j += 2) {
            short s = pcm[i];
            out[j] = (byte) s;
            out[j + 1] = (byte) (s >> 8);
        }
        return out;
    }
}
