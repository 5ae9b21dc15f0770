package io.facecast.bus;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Appends records to one streamer's queue. Thread-safe: appends from several renderer threads are serialized here
 * (each append is microseconds; contention is negligible). Chronicle binds an appender to its first thread; the lock
 * makes that binding unnecessary, so the check is switched off.
 */
public final class BusAppender implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private long records;
    private long bytes;

    public BusAppender(Path dir) {
        this(dir, MediaBus.DEFAULT_ROLL_CYCLE);
    }

    public BusAppender(Path dir, RollCycle rollCycle) {
        this.queue = MediaBus.openForAppend(dir, rollCycle);
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
    }

    /** Appends the record, stamping {@code producedNanos} if it is unset. Returns the record's queue index. */
    public synchronized long append(BusRecord r) {
        if (r.producedNanos() == 0) {
            r.producedNanos(System.nanoTime());
        }
        try (DocumentContext dc = appender.writingDocument()) {
            var out = dc.wire().bytes();
            long before = out.writePosition();
            BusCodec.write(out, r);
            bytes += out.writePosition() - before;
            records++;
        }
        return appender.lastIndexAppended();
    }

    public synchronized long records() { return records; }

    public synchronized long bytes() { return bytes; }

    public Path dir() { return queue.file().toPath(); }

    @Override
    public synchronized void close() {
        appender.close();
        queue.close();
    }
}
