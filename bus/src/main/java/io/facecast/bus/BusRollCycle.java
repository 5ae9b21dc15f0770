package io.facecast.bus;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.rollcycles.RollCycleArithmetic;

/**
 * Roll cycles Chronicle does not ship. A session's queue carries about 0.6 MB/s of speech (a 136x84 mouth patch at
 * 30 fps and 48 kHz audio), and its reader deletes a cycle file once it reads the next: the directory then holds one
 * cycle (plus the renderer's few seconds of look-ahead) per session. Ten seconds keep that to about 8 MB per session,
 * about 130 MB for 16 sessions, where Chronicle's shortest production cycle (a minute) would hold ~600 MB.
 */
public enum BusRollCycle implements RollCycle {
    /** Ten-second cycles; files named yyyyMMdd-HHmmss of the cycle's start (UTC) and an 'S'. */
    TEN_SECONDLY("yyyyMMdd-HHmmss'S'", 10_000, 1024, 16);

    private final String format;
    private final int lengthInMillis;
    private final RollCycleArithmetic arithmetic;

    BusRollCycle(String format, int lengthInMillis, int indexCount, int indexSpacing) {
        this.format = format;
        this.lengthInMillis = lengthInMillis;
        this.arithmetic = RollCycleArithmetic.of(indexCount, indexSpacing);
    }

    @Override public String format() { return format; }
    @Override public int lengthInMillis() { return lengthInMillis; }
    @Override public int defaultIndexCount() { return arithmetic.indexCount(); }
    @Override public int defaultIndexSpacing() { return arithmetic.indexSpacing(); }
    @Override public long toIndex(int cycle, long sequenceNumber) { return arithmetic.toIndex(cycle, sequenceNumber); }
    @Override public long toSequenceNumber(long index) { return arithmetic.toSequenceNumber(index); }
    @Override public int toCycle(long index) { return arithmetic.toCycle(index); }
    @Override public long maxMessagesPerCycle() { return arithmetic.maxMessagesPerCycle(); }
}
