package io.facecast.streamer.ingest;

import io.facecast.bus.BusFormatException;
import io.facecast.bus.BusRecord;
import io.facecast.bus.BusTailer;
import io.facecast.bus.PlaybackFeedback;
import io.facecast.bus.RecordKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Reads this streamer's queue with one tailer per subscribed session and hands that session's records to the
 * scheduler, but only while the session has room ({@code hasRoom}: less than the look-ahead limit buffered beyond
 * its play position). A renderer running far ahead therefore fills the queue (disk), not the streamer's heap, and a
 * full session never holds up another: its tailer just stays where it is. Each tailer passes over other sessions'
 * records after reading only their header.
 *
 * <p>Retention: no tailer deletes on its own; once a second the ingest deletes the cycle files before the oldest
 * cycle any session's tailer is still reading, so nothing unread is ever deleted.
 *
 * <p>One thread serves all tailers. Waiting for new records backs off from spinning to parking (≤ 1 ms): on a 2-core
 * machine a reader must not burn a core, and 1 ms is far inside the scheduler's start lead.
 *
 * <p>Feedback (when given a {@link PlaybackFeedback.Writer}): every {@value #FEEDBACK_INTERVAL_MILLIS} ms it reports
 * per session the last video frame read and the media buffered beyond the play position, so the renderer can keep a
 * bounded look-ahead instead of writing whole utterances into the queue at once.
 */
public final class BusIngest implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusIngest.class);
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
    /** Records one session may take per turn, so a busy session cannot starve the others' reads. */
    private static final int BATCH = 64;
    static final long FEEDBACK_INTERVAL_MILLIS = 100;

    private final Function<String, BusTailer> openTailer;
    private final Consumer<BusRecord> scheduler;
    private final Predicate<String> hasRoom;
    private final LongSupplier nanoTime;
    private final PlaybackFeedback.Writer feedback;
    private final ToLongFunction<String> bufferedMillis;
    private final Map<String, BusTailer> readers = new ConcurrentHashMap<>();
    /** Session -> {utterance, frames read} of the last VIDEO record routed. */
    private final Map<String, long[]> lastVideo = new ConcurrentHashMap<>();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong pausedTurns = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param openTailer a new tailer at the end of this streamer's queue that does not delete on its own
     *                   ({@code new BusTailer(dir, rollCycle, false)})
     * @param hasRoom    whether the session may take more media now (the scheduler's look-ahead gauge)
     */
    public BusIngest(Function<String, BusTailer> openTailer, Consumer<BusRecord> scheduler, Predicate<String> hasRoom,
                     LongSupplier nanoTime) {
        this(openTailer, scheduler, hasRoom, nanoTime, null, session -> 0);
    }

    /**
     * @param feedback       where playback reports go (null: none); closed with this ingest
     * @param bufferedMillis media a session holds beyond its play position (the scheduler's gauge)
     */
    public BusIngest(Function<String, BusTailer> openTailer, Consumer<BusRecord> scheduler, Predicate<String> hasRoom,
                     LongSupplier nanoTime, PlaybackFeedback.Writer feedback, ToLongFunction<String> bufferedMillis) {
        this.openTailer = openTailer;
        this.scheduler = scheduler;
        this.hasRoom = hasRoom;
        this.nanoTime = nanoTime;
        this.feedback = feedback;
        this.bufferedMillis = bufferedMillis;
    }

    /** Starts reading the session's records written from now on. */
    public void subscribe(String sessionId) {
        readers.computeIfAbsent(sessionId, openTailer);
    }

    public void unsubscribe(String sessionId) {
        BusTailer t = readers.remove(sessionId);
        lastVideo.remove(sessionId);
        if (t != null) {
            synchronized (t) {
                t.close();
            }
        }
    }

    public int subscriptions() {
        return readers.size();
    }

    public long recordsRouted() { return routed.get(); }

    /** Other sessions' records the tailers passed over (each tailer sees every record once). */
    public long recordsSkipped() {
        return readers.values().stream().mapToLong(BusTailer::passed).sum();
    }

    public long recordsMalformed() { return malformed.get(); }

    public long cycleFilesDeleted() { return deleted.get(); }

    /** Turns in which a session had no room and its tailer stayed put (backpressure applied). */
    public long pausedTurns() { return pausedTurns.get(); }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "bus-ingest");
        thread.setDaemon(true);
        thread.start();
    }

    /** One turn over every session: reads what each may take now; returns how many records were routed. */
    public int drain() {
        int n = 0;
        BusRecord r = new BusRecord();
        for (Map.Entry<String, BusTailer> e : readers.entrySet()) {
            String session = e.getKey();
            BusTailer tailer = e.getValue();
            synchronized (tailer) {
                if (readers.get(session) != tailer) {
                    continue; // unsubscribed meanwhile (and closed)
                }
                for (int i = 0; i < BATCH; i++) {
                    if (!hasRoom.test(session)) {
                        pausedTurns.incrementAndGet();
                        break;
                    }
                    try {
                        if (!tailer.nextOf(session, r)) {
                            break;
                        }
                    } catch (BusFormatException ex) {
                        malformed.incrementAndGet();
                        log.warn("skipping unreadable bus record: {}", ex.getMessage());
                        continue;
                    }
                    n++;
                    routed.incrementAndGet();
                    if (r.kind() == RecordKind.VIDEO) {
                        lastVideo.put(session, new long[] {r.segmentId(), r.mediaTimestamp() + 1});
                    }
                    scheduler.accept(r); // the scheduler copies the holder; the payload array is fresh per read
                }
            }
        }
        return n;
    }

    /** Deletes cycle files every session's tailer has moved past; returns how many. */
    public int sweep() {
        int oldest = Integer.MAX_VALUE;
        BusTailer any = null;
        for (BusTailer t : readers.values()) {
            oldest = Math.min(oldest, t.positionCycle());
            any = t;
        }
        if (any == null || oldest == Integer.MAX_VALUE || oldest == Integer.MIN_VALUE) {
            return 0; // with no reader we cannot know what a session opened next will need: keep everything
        }
        int n;
        synchronized (any) {
            if (!readers.containsValue(any)) {
                return 0;
            }
            n = any.deleteCyclesBefore(oldest);
        }
        deleted.addAndGet(n);
        return n;
    }

    /** Appends one playback report per subscribed session (no-op without a feedback writer). */
    public void publishFeedback() {
        if (feedback == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (String session : readers.keySet()) {
            long[] last = lastVideo.getOrDefault(session, new long[2]);
            long buffered;
            try {
                buffered = bufferedMillis.applyAsLong(session);
            } catch (RuntimeException notOpenYet) {
                buffered = 0;
            }
            feedback.append(new PlaybackFeedback.Position(session, last[0], last[1], buffered, now));
        }
    }

    private void run() {
        int idle = 0;
        long nextSweep = nanoTime.getAsLong() + SWEEP_INTERVAL_NANOS;
        long nextFeedback = nanoTime.getAsLong();
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
                    sweep();
                }
                if (now >= nextFeedback) {
                    nextFeedback = now + FEEDBACK_INTERVAL_MILLIS * 1_000_000L;
                    publishFeedback();
                }
            } catch (RuntimeException e) {
                // Keep serving the other sessions; back off so a persistent fault cannot flood the log.
                log.error("bus ingest error (continuing in 1 s)", e);
                LockSupport.parkNanos(1_000_000_000L);
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
        for (String id : readers.keySet()) {
            unsubscribe(id);
        }
        if (feedback != null) {
            feedback.close();
        }
    }
}
