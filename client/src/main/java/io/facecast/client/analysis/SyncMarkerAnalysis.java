package io.facecast.client.analysis;

import io.facecast.client.Recording;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pairs video flashes with audio tone bursts and computes the skew of each marker: audio onset minus video flash,
 * both in arrival nanoTime (see the package documentation). Markers are a second apart, so a flash pairs with the
 * nearest burst within {@link #MAX_PAIR_NANOS}; anything left over is reported, not guessed at.
 */
public final class SyncMarkerAnalysis {
    /** Far beyond any tolerable skew, well under the 1 s marker spacing. */
    public static final long MAX_PAIR_NANOS = 400_000_000L;
    /** Playout-clock envelope half-width, in 10 ms chunks. */
    public static final int PLAYOUT_WINDOW_CHUNKS = 50;

    /** One paired marker: when the flash was shown and the burst began to play. */
    public record Marker(long videoNanos, long audioNanos) {
        /** Positive: the sound comes after the picture. */
        public long skewNanos() {
            return audioNanos - videoNanos;
        }

        public double skewMillis() {
            return skewNanos() / 1e6;
        }
    }

    /** The outcome: paired markers in time order, plus flashes and bursts without a partner. */
    public record Result(List<Marker> markers, List<Long> unpairedFlashNanos, List<Long> unpairedBurstNanos) {
        public double[] skewsMillis() {
            return markers.stream().mapToDouble(Marker::skewMillis).toArray();
        }

        /** Markers (both halves found) whose video time lies in [fromNanos, toNanos). */
        public List<Marker> between(long fromNanos, long toNanos) {
            return markers.stream().filter(m -> m.videoNanos() >= fromNanos && m.videoNanos() < toNanos).toList();
        }

        public double maxAbsSkewMillis() {
            return markers.stream().mapToDouble(m -> Math.abs(m.skewMillis())).max().orElse(Double.NaN);
        }
    }

    private SyncMarkerAnalysis() {}

    /** Burst onsets of the recording's audio, in playout nanoTime. */
    public static List<Long> burstOnsets(Recording recording) {
        byte[] pcm = recording.audioPcm();
        int rate = recording.audioSampleRate();
        List<Long> arrivals = recording.audioChunkArrivals();
        if (rate == 0 || arrivals.isEmpty()) {
            return List.of();
        }
        int perChunk = AudioPlayoutClock.samplesPerChunk(pcm.length / 2, arrivals.size(), rate);
        AudioPlayoutClock clock = new AudioPlayoutClock(arrivals, rate, perChunk, PLAYOUT_WINDOW_CHUNKS);
        List<Long> onsets = new ArrayList<>();
        for (ToneBurstDetector.Burst b : ToneBurstDetector.detect(pcm, rate)) {
            onsets.add(clock.playoutNanos(b.onsetSample()));
        }
        return onsets;
    }

    /** Analyses a recording whose frames went through {@code flashes} (registered before the media arrived). */
    public static Result analyze(Recording recording, FlashDetector flashes) {
        return pair(flashes.flashes().stream().map(FlashDetector.Flash::shownNanos).toList(), burstOnsets(recording));
    }

    /** Pairs each flash with the nearest unused burst within {@link #MAX_PAIR_NANOS}; both lists in time order. */
    public static Result pair(List<Long> flashNanos, List<Long> burstNanos) {
        List<Marker> markers = new ArrayList<>();
        List<Long> lonelyFlashes = new ArrayList<>();
        boolean[] used = new boolean[burstNanos.size()];
        int from = 0;
        for (long f : flashNanos) {
            int best = -1;
            long bestDistance = Long.MAX_VALUE;
            for (int b = from; b < burstNanos.size(); b++) {
                long d = Math.abs(burstNanos.get(b) - f);
                if (burstNanos.get(b) - f > MAX_PAIR_NANOS) {
                    break;
                }
                if (!used[b] && d <= MAX_PAIR_NANOS && d < bestDistance) {
                    best = b;
                    bestDistance = d;
                }
            }
            if (best < 0) {
                lonelyFlashes.add(f);
            } else {
                used[best] = true;
                markers.add(new Marker(f, burstNanos.get(best)));
                from = best + 1;
            }
        }
        List<Long> lonelyBursts = new ArrayList<>();
        for (int b = 0; b < used.length; b++) {
            if (!used[b]) {
                lonelyBursts.add(burstNanos.get(b));
            }
        }
        return new Result(List.copyOf(markers), List.copyOf(lonelyFlashes), List.copyOf(lonelyBursts));
    }

    /** The p-th percentile (0..100, nearest rank) of the values; NaN when empty. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
