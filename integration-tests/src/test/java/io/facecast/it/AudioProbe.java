package io.facecast.it;

import io.facecast.client.Recording;

import java.util.List;

/** Energy of received audio over time, using the arrival time of each 10 ms chunk. */
final class AudioProbe {
    private final byte[] pcm;
    private final List<Long> arrivals;
    private final int samplesPerChunk;

    AudioProbe(Recording recording) {
        this.pcm = recording.audioPcm();
        this.arrivals = recording.audioChunkArrivals();
        this.samplesPerChunk = arrivals.isEmpty() ? 480 : pcm.length / 2 / arrivals.size();
    }

    /** RMS (s16 units) of the chunks that arrived in [from, to); NaN if none did. */
    double rms(long from, long to) {
        double sum = 0;
        long n = 0;
        for (int c = 0; c < arrivals.size(); c++) {
            long t = arrivals.get(c);
            if (t < from || t >= to) continue;
            for (int i = c * samplesPerChunk; i < (c + 1) * samplesPerChunk && 2 * i + 1 < pcm.length; i++) {
                int s = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
                sum += (double) s * s;
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }

    int chunksBetween(long from, long to) {
        return (int) arrivals.stream().filter(t -> t >= from && t < to).count();
    }
}
