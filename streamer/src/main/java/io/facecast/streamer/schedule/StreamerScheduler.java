package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces every session of one streamer from one clock, on one thread (see the package documentation).
 *
 * <p>Any thread may call {@link #open}, {@link #accept}, {@link #interrupt}, {@link #close}: they only post to an
 * inbox that the scheduler thread drains before each push, so session state has a single owner and needs no locks.
 * The thread always services the earliest due item across sessions. Run it with {@link #start()}/{@link #stop()} on
 * real time, or step it with {@link #runUntil(long)} on a {@link VirtualClock} (no thread at all).
 */
public final class StreamerScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamerScheduler.class);
    /** With no session open, the thread sleeps this long between looks (an open wakes it anyway). */
    private static final long IDLE_PARK_NANOS = 1_000_000_000L;

    private final MediaClock clock;
    private final Waiter waiter;
    private final SchedulerConfig config;
    private final ConcurrentHashMap<String, SessionHandle> handles = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong unroutedRecords = new AtomicLong();

    // Owned by the scheduler thread (or the runUntil caller).
    private final Map<String, SessionPlayer> players = new HashMap<>();
    private final PriorityQueue<SessionPlayer> byDue =
            new PriorityQueue<>(Comparator.comparingLong(SessionPlayer::nextDue));

    private volatile Thread thread;
    private volatile boolean running;
    private volatile PushMeters meters = PushMeters.NONE;
    /** Run first on the real scheduler thread: what the process asks of the OS for it (its scheduling class). */
    private volatile Runnable threadSetup = () -> { };

    public StreamerScheduler(MediaClock clock, Waiter waiter, SchedulerConfig config) {
        this.clock = Objects.requireNonNull(clock);
        this.waiter = Objects.requireNonNull(waiter);
        this.config = Objects.requireNonNull(config);
    }

    /** The production setup: {@link RealTimeClock}, to be {@link #start() started}. */
    public static StreamerScheduler realTime(SchedulerConfig config) {
        RealTimeClock c = new RealTimeClock();
        return new StreamerScheduler(c, c, config);
    }

    public static StreamerScheduler virtual(VirtualClock clock, SchedulerConfig config) {
        return new StreamerScheduler(clock, clock, config);
    }

    /** Where pushes are reported (the process's metrics); set before sessions open. */
    public StreamerScheduler meters(PushMeters meters) {
        this.meters = java.util.Objects.requireNonNull(meters);
        return this;
    }

    /** {@code setup} runs on the real scheduler thread before it paces anything (once per {@link #start}). */
    public StreamerScheduler onThreadStart(Runnable setup) {
        this.threadSetup = java.util.Objects.requireNonNull(setup);
        return this;
    }

    public MediaClock clock() {
        return clock;
    }

    /**
     * Opens a session: its origin T0 is now, and frame 0 and audio chunk 0 are due at once (mid-grey and silence
     * until the renderer's idle material arrives).
     *
     * @throws IllegalStateException if a session with this id is open
     */
    public void open(SessionSpec spec, MediaSink sink, ScheduleListener listener) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(listener, "listener");
        SessionHandle h = new SessionHandle(spec, clock.nanoTime(), config);
        if (handles.putIfAbsent(spec.sessionId(), h) != null) {
            throw new IllegalStateException("session " + spec.sessionId() + " is already open on this streamer");
        }
        inbox.add(new OpenCommand(h, sink, listener));
        wake();
    }

    /**
     * Hands a bus record to its session. The record itself is queued (typed records are immutable; the payload
     * array is kept: do not modify it afterwards). Returns false, dropping the record, when the session is not open.
     */
    public boolean accept(BusMessage record) {
        SessionHandle h = handles.get(record.sessionId());
        if (h == null) {
            unroutedRecords.incrementAndGet();
            return false;
        }
        if (record instanceof BusMessage.Audio a) {
            h.acceptedAudioSamples.addAndGet(a.pcm().length / 2);
        } else if (record instanceof BusMessage.Video) {
            h.acceptedVideoFrames.incrementAndGet();
        }
        // No wake-up: the scheduler drains the inbox before every push, and media matters only then.
        inbox.add(record);
        return true;
    }

    /**
     * Discards every utterance of the session with id <= {@code discardThroughUtteranceId}, including records still
     * on their way; speech leaves the wire at the next 10 ms chunk and the next video frame. Completes on the
     * scheduler thread with the utterance that was cut (or {@link InterruptResult#NOTHING_CUT}).
     *
     * @throws UnknownSessionException if the session is not open
     */
    public CompletableFuture<InterruptResult> interrupt(String sessionId, long discardThroughUtteranceId) {
        if (!handles.containsKey(sessionId)) {
            throw new UnknownSessionException(sessionId);
        }
        CompletableFuture<InterruptResult> result = new CompletableFuture<>();
        inbox.add(new InterruptCommand(sessionId, discardThroughUtteranceId, result, clock.nanoTime()));
        wake();
        return result;
    }

    /** Drops the session; nothing is pushed to its sink once the scheduler has seen this. False if not open. */
    public boolean close(String sessionId) {
        SessionHandle h = handles.remove(sessionId);
        if (h == null) {
            return false;
        }
        h.closed = true;
        inbox.add(new CloseCommand(h));
        wake();
        return true;
    }

    public boolean isOpen(String sessionId) {
        return handles.containsKey(sessionId);
    }

    public Set<String> sessionIds() {
        return Set.copyOf(handles.keySet());
    }

    /** @throws UnknownSessionException if the session is not open */
    public SessionStats stats(String sessionId) {
        return handle(sessionId).snapshot(clock.nanoTime());
    }

    /** Received media of the session beyond its play position (the larger of audio and video). */
    public long bufferedMillis(String sessionId) {
        return handle(sessionId).bufferedMillis();
    }

    /** False once the session holds {@link SchedulerConfig#maxLookAheadMillis()} beyond its play position. */
    public boolean hasRoom(String sessionId) {
        return handle(sessionId).hasRoom();
    }

    /** Records for sessions that were not open (dropped). */
    public long unroutedRecords() {
        return unroutedRecords.get();
    }

    private SessionHandle handle(String sessionId) {
        SessionHandle h = handles.get(sessionId);
        if (h == null) {
            throw new UnknownSessionException(sessionId);
        }
        return h;
    }

    // ------------------------------------------------------------------ driving

    /** Starts the real scheduler thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("scheduler already started");
        }
        running = true;
        Thread t = new Thread(this::loop, "facecast-av-scheduler");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        t.start();
    }

    /** Stops the thread and waits for it; sessions stay open but nothing more is pushed. */
    public synchronized void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        running = false;
        LockSupport.unpark(t);
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Virtual-time stepping: services, in due order, everything due up to {@code nanos} (moving the clock through
     * each due time with the waiter), then leaves the clock at {@code nanos}. Only without a started thread.
     */
    public void runUntil(long nanos) {
        if (thread != null) {
            throw new IllegalStateException("runUntil steps a scheduler that has no thread; this one was started");
        }
        while (true) {
            drainInbox();
            SessionPlayer head = byDue.peek();
            if (head == null || head.nextDue() > nanos) {
                if (clock.nanoTime() < nanos) {
                    waiter.awaitUntil(nanos);
                    continue;
                }
                return;
            }
            waiter.awaitUntil(head.nextDue());
            if (clock.nanoTime() >= head.nextDue()) {
                serviceHead();
            }
        }
    }

    private void loop() {
        threadSetup.run();
        log.info("A/V scheduler started");
        while (running) {
            try {
                drainInbox();
                SessionPlayer head = byDue.peek();
                long now = clock.nanoTime();
                if (head == null) {
                    waiter.awaitUntil(now + IDLE_PARK_NANOS);
                } else if (now < head.nextDue()) {
                    waiter.awaitUntil(head.nextDue());
                } else {
                    serviceHead();
                }
            } catch (RuntimeException e) {
                log.error("A/V scheduler loop failed; continuing", e);
            }
        }
        log.info("A/V scheduler stopped");
    }

    private void serviceHead() {
        SessionPlayer p = byDue.poll();
        try {
            p.service();
        } catch (RuntimeException e) {
            log.error("session {} failed to push; its clock moves on", p.handle.spec.sessionId(), e);
        } finally {
            byDue.add(p);
        }
    }

    private void drainInbox() {
        Object o;
        while ((o = inbox.poll()) != null) {
            try {
                dispatch(o);
            } catch (RuntimeException e) {
                log.error("scheduler failed to handle {}", o, e);
            }
        }
    }

    private void dispatch(Object o) {
        if (o instanceof BusMessage r) {
            SessionPlayer p = players.get(r.sessionId());
            if (p != null) {
                p.onRecord(r);
            }
        } else if (o instanceof OpenCommand c) {
            SessionPlayer p = new SessionPlayer(c.handle, c.sink, c.listener, clock, config);
            p.meters = meters;
            SessionPlayer old = players.put(c.handle.spec.sessionId(), p);
            if (old != null) {
                byDue.remove(old);
            }
            byDue.add(p);
        } else if (o instanceof InterruptCommand c) {
            SessionPlayer p = players.get(c.sessionId);
            if (p == null) {
                c.result.completeExceptionally(new UnknownSessionException(c.sessionId));
            } else {
                InterruptResult cut = p.interrupt(c.discardThrough);
                if (cut.utteranceId() != 0) {
                    p.silenceDueSince = c.postedNanos;
                }
                c.result.complete(cut);
            }
        } else if (o instanceof CloseCommand c) {
            String id = c.handle.spec.sessionId();
            SessionPlayer p = players.get(id);
            if (p != null && p.handle == c.handle) {
                players.remove(id);
                byDue.remove(p);
            }
        }
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private record OpenCommand(SessionHandle handle, MediaSink sink, ScheduleListener listener) {}

    private record InterruptCommand(String sessionId, long discardThrough, CompletableFuture<InterruptResult> result,
                                    long postedNanos) {}

    private record CloseCommand(SessionHandle handle) {}
}
