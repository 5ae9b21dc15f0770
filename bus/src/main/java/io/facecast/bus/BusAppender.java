package io.facecast.bus;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Appends records to one queue (a session's, {@link MediaBus#sessionQueue}).
 *
 * <p>The bus's one threading model for appends: any thread may append, and the appends of one queue are serialized
 * by this object's lock, on the caller's thread. (The renderer used to hand every frame to a dedicated writer thread
 * and wait on a Future; with one queue per session the lock is practically never contended, and it costs neither a
 * thread switch per frame nor a thread per queue.) Chronicle binds an appender to its first thread; the lock makes
 * that binding unnecessary, so its check is switched off. Chronicle's file channels do not survive an interrupt
 * during a write, so callers cancel work by a polled mark, never by interrupting a thread that may be appending;
 * an interrupt already pending when {@link #append} is entered is held back for the call and restored after it.
 *
 * <p>After {@link #close} appends are dropped (a session closed while a frame was being rendered: nobody reads it).
 */
public final class BusAppender implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Path dir;
    private long records;
    private long bytes;
    private boolean closed;

    public BusAppender(Path dir) {
        this(dir, MediaBus.DEFAULT_ROLL_CYCLE);
    }

    public BusAppender(Path dir, RollCycle rollCycle) {
        this(dir, rollCycle, SystemTimeProvider.INSTANCE);
    }

    /** @param time when cycles roll; tests pass a {@code SetTimeProvider} to roll without waiting */
    public BusAppender(Path dir, RollCycle rollCycle, TimeProvider time) {
        this.dir = dir;
        this.queue = MediaBus.openForAppend(dir, rollCycle, time);
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
    }

    /** Appends the message, stamped with {@code System.nanoTime()} if it has no production time. Returns its index (-1: closed). */
    public synchronized long append(BusMessage m) {
        if (closed) {
            return -1;
        }
        if (m.producedNanos() == 0) {
            m = m.producedAt(System.nanoTime());
        }
        boolean interrupted = Thread.interrupted();
        try (DocumentContext dc = appender.writingDocument()) {
            var out = dc.wire().bytes();
            long before = out.writePosition();
            BusCodec.write(out, m);
            bytes += out.writePosition() - before;
            records++;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return appender.lastIndexAppended();
    }

    public synchronized long records() { return records; }

    public synchronized long bytes() { return bytes; }

    public Path dir() { return dir; }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        appender.close();
        queue.close();
    }
}
