package io.facecast.renderer.segment;

import io.facecast.renderer.audio.BusAudio;

/**
 * Measurement aid: once per second of segment time, one white mouth frame and a 20 ms 1 kHz tone burst starting at
 * the same sample, so a receiver can measure A/V offset end to end. fps in {24, 25, 30} divides 48000, so frame
 * k*fps starts exactly at sample k*48000.
 */
public final class SyncMarkers {
    public static final int WHITE = 0xFFFFFF;
    static final int BURST_SAMPLES = BusAudio.SAMPLE_RATE / 50;
    private static final double BURST_HZ = 1000;
    private static final double AMPLITUDE = 0.5 * Short.MAX_VALUE;

    private SyncMarkers() {}

    public static boolean isMarkerFrame(int frame, int fps) {
        return frame % fps == 0;
    }

    /**
     * Lays the burst over the start of a marker frame's audio {@code pcm[from, to)} (a frame of a segment written
     * progressively); frame k*fps starts at sample k*48000, so this equals {@link #withToneBursts} of the whole.
     */
    public static void burstInto(short[] pcm, int from, int to) {
        for (int i = 0; i < BURST_SAMPLES && from + i < to; i++) {
            pcm[from + i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * BURST_HZ * i / BusAudio.SAMPLE_RATE));
        }
    }

    /** A copy of {@code pcm} with a tone burst at every whole second (replacing what was there). */
    public static short[] withToneBursts(short[] pcm) {
        short[] out = pcm.clone();
        for (int start = 0; start < out.length; start += BusAudio.SAMPLE_RATE) {
            for (int i = 0; i < BURST_SAMPLES && start + i < out.length; i++) {
                out[start + i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * BURST_HZ * i / BusAudio.SAMPLE_RATE));
            }
        }
        return out;
    }
}
