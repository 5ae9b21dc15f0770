package io.facecast.streamer.ingest;

import io.facecast.bus.BusFormatException;
import io.facecast.bus.BusRecord;
import io.facecast.bus.BusTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Tails this streamer's queue on one thread and hands each record of a subscribed session to the scheduler.
 * Records of sessions nobody subscribed to (closed, or never opened here) are counted and skipped.
 *
 * <p>Waiting for new records backs off from spinning to parking (≤ 1 ms): on a 2-core machine a tailer must not burn a
 * core, and 1 ms is far inside the scheduler's start lead.
 */
public final class BusIngest implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusIngest.class);
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final BusTailer tailer;
    private final Consumer<BusRecord> scheduler;
    private final LongSupplier nanoTime;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    public BusIngest(BusTailer tailer, Consumer<BusRecord> scheduler, LongSupplier nanoTime) {
        this.tailer = tailer;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
    }

    public void subscribe(String sessionId) {
        subscribed.add(sessionId);
    }

    public void unsubscribe(String sessionId) {
        subscribed.remove(sessionId);
    }

    public int subscriptions() {
        return subscribed.size();
    }

    public long recordsRouted() { return routed.get(); }

    public long recordsSkipped() { return skipped.get(); }

    public long recordsMalformed() { return malformed.get(); }

    public long cycleFilesDeleted() { return tailer.deletedFiles(); }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "bus-ingest");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads every record available now; returns how many were read. The loop's body, callable from tests. */
    public int drain() {
        int n = 0;
        BusRecord r = new BusRecord();
        while (true) {
            try {
                if (!tailer.next(r)) {
                    return n;
                }
            } catch (BusFormatException e) {
                malformed.incrementAndGet();
                log.warn("skipping unreadable bus record: {}", e.getMessage());
                continue;
            }
            n++;
            if (subscribed.contains(r.sessionId())) {
                routed.incrementAndGet();
                scheduler.accept(r);
                // the scheduler copies the holder; the payload array is fresh per read
            } else {
                skipped.incrementAndGet();
            }
        }
    }

    private void run() {
        int idle = 0;
        long nextSweep = nanoTime.getAsLong() + SWEEP_INTERVAL_NANOS;
        while (running) {
            try {
                if (drain() > 0) {
                    idle = 0;
                } else if (++idle < 50) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(Math.min(1_000_000L, 20_000L * (idle - 49)));
                }
                long now = nanoTime.getAsLong();
                if (now >= nextSweep) {
                    nextSweep = now + SWEEP_INTERVAL_NANOS;
                    tailer.sweep();
                }
            } catch (RuntimeException e) {
                log.error("bus ingest error (continuing)", e);
                LockSupport.parkNanos(10_000_000L);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            t.join(2000);
        }
        tailer.close();
    }
}
