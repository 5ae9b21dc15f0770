package io.facecast.bus;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one streamer's queue from its end (media older than the streamer is of no use to anyone) and deletes each
 * cycle file once the tailer has moved past it, so the directory does not grow with run time. Only the sole reader
 * of a queue deletes, and only cycles strictly before the one it is reading: nothing unread is deleted.
 *
 * <p>Not thread-safe: one thread at a time tails (it may be another than the one that built it).
 */
public final class BusTailer implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final AtomicLong deletedFiles = new AtomicLong();
    private final boolean deletesOnRelease;
    private volatile int readingCycle = Integer.MIN_VALUE;
    private long records;
    private long passed;

    public BusTailer(Path dir) {
        this(dir, MediaBus.DEFAULT_ROLL_CYCLE);
    }

    public BusTailer(Path dir, RollCycle rollCycle) {
        this(dir, rollCycle, true);
    }

    /**
     * @param soleReader true when this is the queue's only reader and may delete what it has passed; false when
     *                   several tailers read one queue: then none deletes on its own, and the owner of all of them
     *                   calls {@link #deleteCyclesBefore} with the smallest {@link #positionCycle()} among them
     */
    public BusTailer(Path dir, RollCycle rollCycle, boolean soleReader) {
        this.deletesOnRelease = soleReader;
        this.queue = MediaBus.openForTail(dir, rollCycle, this::onReleased);
        this.tailer = queue.createTailer().toEnd();
        // Built on one thread (process wiring), read on another (the ingest loop): Chronicle would refuse that.
        this.tailer.singleThreadedCheckDisabled(true);
        if (!soleReader) {
            // Positioned at the end: nothing before the current cycle is of use to this reader.
            this.readingCycle = queue.cycle();
        }
    }

    /** Decodes the next record into {@code into}; false when nothing new is there yet. */
    public boolean next(BusRecord into) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            readingCycle = tailer.cycle();
            BusCodec.read(dc.wire().bytes(), into);
            records++;
            return true;
        }
    }

    /**
     * Decodes the next record of {@code sessionId} into {@code into}, passing over other sessions' records after
     * reading only their header (no payload copy); false when no record of that session is there yet.
     */
    public boolean nextOf(String sessionId, BusRecord into) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
                readingCycle = tailer.cycle();
                var bytes = dc.wire().bytes();
                long start = bytes.readPosition();
                if (!sessionId.equals(BusCodec.readSessionId(bytes))) {
                    passed++;
                    continue;
                }
                bytes.readPosition(start);
                BusCodec.read(bytes, into);
                records++;
                return true;
            }
        }
    }

    public long records() { return records; }

    /** Records of other sessions {@link #nextOf} passed over. */
    public long passed() { return passed; }

    public long deletedFiles() { return deletedFiles.get(); }

    /**
     * The cycle this tailer reads in (or, before its first record, the cycle it was created in): files of earlier
     * cycles are no longer needed by it.
     */
    public int positionCycle() {
        return readingCycle;
    }

    /** Deletes the queue's cycle files strictly before {@code cycle}; returns how many. */
    public int deleteCyclesBefore(int cycle) {
        int deleted = 0;
        File[] files = queue.file().listFiles((d, name) -> name.endsWith(".cq4"));
        if (files == null || cycle == Integer.MIN_VALUE) {
            return 0;
        }
        for (File f : files) {
            Integer c = cycleOf(f);
            if (c != null && c < cycle && f.delete()) {
                deleted++;
            }
        }
        deletedFiles.addAndGet(deleted);
        return deleted;
    }

    private void onReleased(int cycle, File file) {
        if (deletesOnRelease && cycle < readingCycle && file.delete()) {
            deletedFiles.incrementAndGet();
        }
    }

    /** Deletes cycle files the tailer has moved past whose release was not seen (e.g. the appender released them). */
    public int sweep() {
        if (!deletesOnRelease) {
            return 0;
        }
        int current = readingCycle;
        int deleted = 0;
        File[] files = queue.file().listFiles((d, name) -> name.endsWith(".cq4"));
        if (files == null || current == Integer.MIN_VALUE) {
            return 0;
        }
        for (File f : files) {
            Integer cycle = cycleOf(f);
            if (cycle != null && cycle < current && f.delete()) {
                deleted++;
            }
        }
        deletedFiles.addAndGet(deleted);
        return deleted;
    }

    private Integer cycleOf(File f) {
        RollCycle rc = queue.rollCycle();
        String name = f.getName().substring(0, f.getName().length() - ".cq4".length());
        try {
            long millis = LocalDateTime.parse(name, DateTimeFormatter.ofPattern(rc.format()))
                    .toInstant(ZoneOffset.UTC).toEpochMilli();
            return (int) (millis / rc.lengthInMillis());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
