package io.facecast.client.analysis;

import java.util.ArrayDeque;
import java.util.List;

/**
 * When each received audio chunk started to play. The audio device pulls one chunk per chunk duration; the thread
 * that pulls can be woken late but never early, so the playout instant of chunk c is the lower envelope
 * {@code min over |c' - c| <= window of arrival(c') - (c' - c) * chunkNanos}. Jitter of the pulling thread therefore
 * does not leak into the measurement, while a real shift of the playout clock (a restart) moves the envelope within
 * {@code window} chunks.
 */
public final class AudioPlayoutClock {
    private final long[] playout;
    private final long chunkNanos;
    private final int samplesPerChunk;
    private final int sampleRate;

    /**
     * @param arrivals        arrival nanoTime of each chunk, in order
     * @param samplesPerChunk samples in each chunk (480 at 48 kHz)
     * @param window          chunks either side considered (50 = 0.5 s at 10 ms)
     */
    public AudioPlayoutClock(List<Long> arrivals, int sampleRate, int samplesPerChunk, int window) {
        if (sampleRate <= 0 || samplesPerChunk <= 0 || window < 0) {
            throw new IllegalArgumentException("invalid playout clock " + sampleRate + "/" + samplesPerChunk + "/" + window);
        }
        this.sampleRate = sampleRate;
        this.samplesPerChunk = samplesPerChunk;
        this.chunkNanos = samplesPerChunk * 1_000_000_000L / sampleRate;
        int n = arrivals.size();
        // min over [c - w, c + w] of (arrival(c') - c' * chunk), then + c * chunk: a sliding-window minimum.
        long[] base = new long[n];
        for (int c = 0; c < n; c++) {
            base[c] = arrivals.get(c) - c * chunkNanos;
        }
        playout = new long[n];
        ArrayDeque<Integer> mins = new ArrayDeque<>();
        int next = 0;
        for (int c = 0; c < n; c++) {
            int hi = Math.min(n - 1, c + window);
            for (; next <= hi; next++) {
                while (!mins.isEmpty() && base[mins.peekLast()] >= base[next]) {
                    mins.pollLast();
                }
                mins.addLast(next);
            }
            while (mins.peekFirst() < c - window) {
                mins.pollFirst();
            }
            playout[c] = base[mins.peekFirst()] + c * chunkNanos;
        }
    }

    /** Chunk size used when a recording's chunk count and PCM length are given. */
    public static int samplesPerChunk(int totalSamples, int chunks, int sampleRate) {
        return chunks == 0 ? sampleRate / 100 : Math.max(1, totalSamples / chunks);
    }

    public int chunks() {
        return playout.length;
    }

    /** Playout instant (nanoTime) of the given sample of the recording; may be fractional. */
    public long playoutNanos(double sample) {
        int c = (int) Math.min(playout.length - 1, Math.max(0, Math.floor(sample / samplesPerChunk)));
        double within = sample - (double) c * samplesPerChunk;
        return playout[c] + Math.round(within * 1e9 / sampleRate);
    }

    /** How much later than its playout instant the chunk actually arrived (jitter of the pulling thread). */
    public long lateness(int chunk, long arrival) {
        return arrival - playout[chunk];
    }

    public long chunkNanos() {
        return chunkNanos;
    }
}
