package io.facecast.streamer.schedule;

/**
 * Which segment audio lands where on the session's global sample line, for samples decided but not yet pushed. A
 * run maps global samples [start, end) to segment samples from {@code segStart}; anything not covered is silence.
 * Consecutive frames of a segment extend one run; a segment start or a hold begins a new one. Plain arrays: the
 * 10 ms path allocates nothing.
 */
final class AudioRuns {
    private Segment[] seg = new Segment[4];
    private long[] start = new long[4];
    private long[] end = new long[4];
    private long[] segStart = new long[4];
    private int count;

    void add(Segment s, long globalStart, long globalEnd, long segmentStart) {
        if (globalEnd <= globalStart) {
            return;
        }
        int last = count - 1;
        if (last >= 0 && seg[last] == s && end[last] == globalStart
                && segStart[last] + (end[last] - start[last]) == segmentStart) {
            end[last] = globalEnd;
            return;
        }
        if (count == seg.length) {
            grow();
        }
        seg[count] = s;
        start[count] = globalStart;
        end[count] = globalEnd;
        segStart[count] = segmentStart;
        count++;
    }

    /** Writes global samples [from, from + samples) into the zeroed {@code chunk}; forgets runs it has finished. */
    void render(long from, int samples, byte[] chunk) {
        long to = from + samples;
        for (int i = 0; i < count; i++) {
            long lo = Math.max(from, start[i]);
            long hi = Math.min(to, end[i]);
            if (hi > lo) {
                seg[i].copyPcm(segStart[i] + (lo - start[i]), (int) (hi - lo), chunk, (int) (lo - from) * 2);
            }
        }
        removeEndingBy(to);
    }

    /** Silences, from global sample {@code from} on, every run of a segment with id <= {@code throughId}. */
    void cut(long from, long throughId) {
        for (int i = 0; i < count; i++) {
            if (io.facecast.bus.MediaFormat.isThrough(seg[i].id, throughId)) {
                end[i] = Math.min(end[i], from);
            }
        }
        compact();
    }

    int size() {
        return count;
    }

    private void removeEndingBy(long to) {
        for (int i = 0; i < count; i++) {
            if (end[i] <= to) {
                start[i] = end[i]; // empty: dropped by compact
            }
        }
        compact();
    }

    private void compact() {
        int w = 0;
        for (int i = 0; i < count; i++) {
            if (end[i] > start[i]) {
                seg[w] = seg[i];
                start[w] = start[i];
                end[w] = end[i];
                segStart[w] = segStart[i];
                w++;
            }
        }
        for (int i = w; i < count; i++) {
            seg[i] = null;
        }
        count = w;
    }

    private void grow() {
        int n = seg.length * 2;
        seg = java.util.Arrays.copyOf(seg, n);
        start = java.util.Arrays.copyOf(start, n);
        end = java.util.Arrays.copyOf(end, n);
        segStart = java.util.Arrays.copyOf(segStart, n);
    }
}
