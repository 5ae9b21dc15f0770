package io.facecast.bus;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
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
 * The one reader of a queue. It deletes each cycle file once it has moved past it, so the directory does not grow
 * with run time; only cycles strictly before the one it is reading go, so nothing unread is deleted. A session's
 * reader ({@link #ofSession}) reads its queue from the start (everything in it is that session's) and deletes the
 * whole queue when closed.
 *
 * <p>Not thread-safe: one thread at a time tails (it may be another than the one that built it).
 */
public final class BusTailer implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final AtomicLong deletedFiles = new AtomicLong();
    private final Path dir;
    private final boolean deleteOnClose;
    private volatile int readingCycle = Integer.MIN_VALUE;
    private long records;

    /** Reads what is appended from now on (media older than the reader is of no use to anyone); keeps the queue. */
    public BusTailer(Path dir) {
        this(dir, MediaBus.DEFAULT_ROLL_CYCLE);
    }

    public BusTailer(Path dir, RollCycle rollCycle) {
        this(dir, rollCycle, SystemTimeProvider.INSTANCE, false);
    }

    /**
     * @param fromStart true: read everything in the queue and delete the queue on {@link #close} (a session's
     *                  queue); false: read from the end and keep the queue
     */
    public BusTailer(Path dir, RollCycle rollCycle, TimeProvider time, boolean fromStart) {
        this.dir = dir;
        this.deleteOnClose = fromStart;
        this.queue = MediaBus.openForTail(dir, rollCycle, time, this::onReleased);
        this.tailer = fromStart ? queue.createTailer().toStart() : queue.createTailer().toEnd();
        // Built on one thread (process wiring), read on another (the ingest loop): Chronicle would refuse that.
        this.tailer.singleThreadedCheckDisabled(true);
    }

    /** The reader of one session's queue {@link MediaBus#sessionQueue}: from its start; the queue goes on close. */
    public static BusTailer ofSession(Path streamerDir, String sessionId) {
        return ofSession(streamerDir, sessionId, MediaBus.DEFAULT_ROLL_CYCLE, SystemTimeProvider.INSTANCE);
    }

    public static BusTailer ofSession(Path streamerDir, String sessionId, RollCycle rollCycle, TimeProvider time) {
        return new BusTailer(MediaBus.sessionQueue(streamerDir, sessionId), rollCycle, time, true);
    }

    /** Decodes the next record; null when nothing new is there yet. */
    public BusMessage next() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            readingCycle = tailer.cycle();
            records++;
            return BusCodec.decode(dc.wire().bytes());
        }
    }

    /** Records this reader opened, readable or not: with one queue per session, every one was its session's. */
    public long records() { return records; }

    public long deletedFiles() { return deletedFiles.get(); }

    public Path dir() { return dir; }

    /** The cycle this tailer reads in (MIN_VALUE before its first record): earlier files are no longer needed. */
    public int positionCycle() {
        return readingCycle;
    }

    private void onReleased(int cycle, File file) {
        if (cycle < readingCycle && file.delete()) {
            deletedFiles.incrementAndGet();
        }
    }

    /** Deletes cycle files the tailer has moved past whose release was not seen (e.g. the appender released them). */
    public int sweep() {
        int current = readingCycle;
        File[] files = queue.file().listFiles((d, name) -> name.endsWith(".cq4"));
        if (files == null || current == Integer.MIN_VALUE) {
            return 0;
        }
        int deleted = 0;
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
        if (deleteOnClose) {
            MediaBus.deleteQueue(dir);
        }
    }
}
