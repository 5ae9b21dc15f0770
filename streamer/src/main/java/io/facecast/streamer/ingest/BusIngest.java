package io.facecast.streamer.ingest;

import io.facecast.bus.BusFormatException;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.MediaBus;
import io.facecast.bus.PlaybackFeedback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
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
 * Reads each subscribed session's own queue ({@code <streamer-dir>/<session-id>}, {@link MediaBus#sessionQueue}) and
 * hands its records to the scheduler, but only while the session has room ({@code hasRoom}: less than the look-ahead
 * limit buffered beyond its play position). A renderer running far ahead therefore fills the queue (disk), not the
 * streamer's heap, and a full session never holds up another: its reader just stays where it is. A reader opens
 * only its session's records, so the work grows with the records routed, not with sessions x records (it did when
 * all sessions shared one queue and every reader passed over the others' records: {@code IngestBenchmark}).
 *
 * <p>Retention: each session's reader is its queue's only reader; it deletes the cycle files it has moved past
 * (nothing unread) and, when the session is unsubscribed, the whole queue. Once a second the ingest also deletes
 * queues of no subscribed session untouched for a minute (the renderer wrote after the close, or a crash left them).
 *
 * <p>One thread serves all readers. Waiting for new records backs off from spinning to parking (≤ 1 ms): on a 2-core
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
    /** A queue of no subscribed session is deleted once nothing has touched it for this long. */
    static final long STALE_QUEUE_MILLIS = 60_000;
    /** The longest the reader sleeps between looks at the queues (the back-off rule for 2-core machines). */
    static final long MAX_PARK_NANOS = 1_000_000L;

    private final Function<String, BusTailer> openTailer;
    private final Consumer<BusMessage> scheduler;
    private final Predicate<String> hasRoom;
    private final LongSupplier nanoTime;
    private final PlaybackFeedback.Writer feedback;
    private final ToLongFunction<String> bufferedMillis;
    private final Map<String, BusTailer> readers = new ConcurrentHashMap<>();
    /** Session -> {utterance, frames read} of the last VIDEO record routed. */
    private final Map<String, long[]> lastVideo = new ConcurrentHashMap<>();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong pausedTurns = new AtomicLong();
    /** The streamer directory whose stale session queues {@link #sweep} deletes (null: none). */
    private volatile Path streamerDir;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param openTailer the reader of a session's queue ({@code session -> BusTailer.ofSession(streamerDir, session)})
     * @param hasRoom    whether the session may take more media now (the scheduler's look-ahead gauge)
     */
    public BusIngest(Function<String, BusTailer> openTailer, Consumer<BusMessage> scheduler, Predicate<String> hasRoom,
                     LongSupplier nanoTime) {
        this(openTailer, scheduler, hasRoom, nanoTime, null, session -> 0);
    }

    /**
     * @param feedback       where playback reports go (null: none); closed with this ingest
     * @param bufferedMillis media a session holds beyond its play position (the scheduler's gauge)
     */
    public BusIngest(Function<String, BusTailer> openTailer, Consumer<BusMessage> scheduler, Predicate<String> hasRoom,
                     LongSupplier nanoTime, PlaybackFeedback.Writer feedback, ToLongFunction<String> bufferedMillis) {
        this.openTailer = openTailer;
        this.scheduler = scheduler;
        this.hasRoom = hasRoom;
        this.nanoTime = nanoTime;
        this.feedback = feedback;
        this.bufferedMillis = bufferedMillis;
    }

    /** Also deletes, once a second, queues in {@code streamerDir} that belong to no subscribed session. */
    public BusIngest sweepingStale(Path streamerDir) {
        this.streamerDir = streamerDir;
        return this;
    }

    /** Starts reading the session's queue. */
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

    /** Records the readers opened (routed, malformed, or read while a session was being unsubscribed). */
    public long recordsRead() { return read.get(); }

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
                    BusMessage r;
                    try {
                        r = tailer.next();
                        if (r == null) {
                            break;
                        }
                        read.incrementAndGet();
                    } catch (BusFormatException ex) {
                        read.incrementAndGet();
                        malformed.incrementAndGet();
                        log.warn("skipping unreadable bus record: {}", ex.getMessage());
                        continue;
                    }
                    n++;
                    routed.incrementAndGet();
                    if (r instanceof BusMessage.Video v) {
                        noteVideo(session, v);
                    }
                    scheduler.accept(r); // the decoded record itself: immutable, its payload array fresh per read
                }
            }
        }
        return n;
    }

    /** Updates the session's last-video pair in place (no array per frame): written and read on the ingest thread. */
    private void noteVideo(String session, BusMessage.Video v) {
        long[] last = lastVideo.get(session);
        if (last == null) {
            last = new long[2];
            lastVideo.put(session, last);
        }
        last[0] = v.utteranceId();
        last[1] = v.frame() + 1;
    }

    /** Deletes cycle files each session's reader has moved past, and stale queues; returns how many. */
    public int sweep() {
        int n = 0;
        for (Map.Entry<String, BusTailer> e : readers.entrySet()) {
            BusTailer t = e.getValue();
            synchronized (t) {
                if (readers.get(e.getKey()) == t) {
                    n += t.sweep();
                }
            }
        }
        Path dir = streamerDir;
        if (dir != null) {
            n += MediaBus.deleteStale(dir, readers.keySet(), STALE_QUEUE_MILLIS, System.currentTimeMillis());
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
            long[] last = lastVideo.get(session);
            long buffered;
            try {
                buffered = bufferedMillis.applyAsLong(session);
            } catch (RuntimeException notOpenYet) {
                buffered = 0;
            }
            feedback.append(new PlaybackFeedback.Position(session, last == null ? 0 : last[0], last == null ? 0 : last[1],
                    buffered, now));
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
                    // Doubling from 20 us reaches the 1 ms cap in six parks; a linear ramp took fifty (25 ms), so
                    // with records every ~10 ms it never got there and woke ~1000 times a second for nothing.
                    LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, 20_000L << Math.min(idle - 50, 6)));
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
