package io.facecast.renderer.playback;

import io.facecast.bus.PlaybackFeedback;
import io.facecast.renderer.session.LookAheadGate;
import io.facecast.renderer.session.LookAheadGates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Keeps each session's renderer at most {@code lookAhead} ahead of what its streamer has played, using the
 * streamer's {@link PlaybackFeedback} reports (one reader per streamer queue, shared by its sessions). Frame j of
 * utterance u may be written while {@code j < played(u) + lookAhead * fps}, where played(u) is the reported frames
 * played when the report is about u, 0 while u has not reached the streamer, and unbounded once the streamer is past
 * u. The default 1.5 s look-ahead covers the streamer's own 500 ms read window
 * ({@code SchedulerConfig.DEFAULT_LOOK_AHEAD_MILLIS}) with 1 s to spare for the renderer's own pauses (a collection,
 * a slow synthesis), so playback never waits for the gate; what is written beyond the streamer's window waits in the
 * bus, not on either Java heap.
 *
 * <p>The gate never deadlocks: it is open for a session without reports (a streamer that does not send them) or
 * whose latest report is older than {@code staleAfter} (a streamer gone quiet), and a session that closes or is
 * interrupted is woken by the session itself. Waiting sessions park; {@link #poll} (the feedback thread, every few
 * ms) reads new reports and wakes the ones whose gate opened. Time enters only through {@code nanoTime}.
 */
public final class PlaybackGates implements LookAheadGates, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlaybackGates.class);
    public static final long DEFAULT_LOOK_AHEAD_MILLIS = 1500;
    public static final long DEFAULT_STALE_AFTER_MILLIS = 2000;
    private static final long POLL_NANOS = 5_000_000L;

    private final long lookAheadMillis;
    private final long staleAfterNanos;
    private final LongSupplier nanoTime;
    /** Feedback directory -> its reader and the sessions on that streamer. */
    private final Map<Path, Source> sources = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    public PlaybackGates(long lookAheadMillis, long staleAfterMillis, LongSupplier nanoTime) {
        if (lookAheadMillis <= 0 || staleAfterMillis <= 0) {
            throw new IllegalArgumentException("look-ahead and staleness must be positive");
        }
        this.lookAheadMillis = lookAheadMillis;
        this.staleAfterNanos = staleAfterMillis * 1_000_000L;
        this.nanoTime = nanoTime;
    }

    public static PlaybackGates defaults() {
        return new PlaybackGates(DEFAULT_LOOK_AHEAD_MILLIS, DEFAULT_STALE_AFTER_MILLIS, System::nanoTime);
    }

    private static final class Source {
        final Path dir;
        PlaybackFeedback.Reader reader;
        final Map<String, Gate> gates = new ConcurrentHashMap<>();
        /** When the reader last gave a report, or was (re)opened. */
        long lastReadNanos;

        Source(Path dir, PlaybackFeedback.Reader reader, long now) {
            this.dir = dir;
            this.reader = reader;
            this.lastReadNanos = now;
        }
    }

    @Override
    public LookAheadGate open(String sessionId, int fps, Path busDir) {
        Path dir = PlaybackFeedback.dirFor(busDir);
        Source src;
        synchronized (sources) {
            src = sources.get(dir);
            if (src == null) {
                try {
                    src = new Source(dir, new PlaybackFeedback.Reader(dir), nanoTime.getAsLong());
                } catch (RuntimeException e) {
                    log.warn("cannot read playback feedback at {}; session {} renders without a look-ahead limit", dir, sessionId, e);
                    return LookAheadGate.OPEN;
                }
                sources.put(dir, src);
            }
        }
        Gate g = new Gate(fps);
        src.gates.put(sessionId, g);
        return g;
    }

    @Override
    public void close(String sessionId, Path busDir) {
        Source src = sources.get(PlaybackFeedback.dirFor(busDir));
        Gate g = src == null ? null : src.gates.remove(sessionId);
        if (g != null) {
            g.release();
        }
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                try {
                    poll();
                } catch (RuntimeException e) {
                    log.error("playback feedback poll failed (continuing)", e);
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }, "playback-feedback");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads the reports that arrived and wakes sessions whose gate opened (by a report or by time). */
    public void poll() {
        for (Source src : sources.values()) {
            synchronized (src) {
                long now = nanoTime.getAsLong();
                try {
                    PlaybackFeedback.Position p;
                    while ((p = src.reader.next()) != null) {
                        src.lastReadNanos = now;
                        Gate g = src.gates.get(p.sessionId());
                        if (g != null) {
                            g.report(p, now);
                        }
                    }
                    if (!src.gates.isEmpty() && now - src.lastReadNanos > staleAfterNanos) {
                        reopen(src, null); // sessions but no reports: maybe a restarted streamer's new files
                    }
                } catch (RuntimeException e) {
                    reopen(src, e);
                }
            }
            for (Gate g : src.gates.values()) {
                g.recheck();
            }
        }
    }

    /**
     * The feedback queue changed under the reader: a streamer killed and restarted on the same queue writes it anew
     * and its retention deletes the cycle this reader stood on (Chronicle: "The current cycle seems to have been
     * deleted from under the queue", issue 9). Reports are only useful from now on, so the reader starts again at the
     * end of the queue as it is; until the next report the gates judge by staleness as always. The files can also be
     * replaced without any error (the reader keeps the deleted file mapped and sees nothing new), so a reader that
     * gave no report for {@code staleAfter} while sessions wait on it is opened again too. Source lock held.
     */
    private void reopen(Source src, RuntimeException cause) {
        if (cause != null) {
            log.info("playback feedback at {} changed under its reader ({}); reading it again from its end", src.dir,
                    cause.toString());
        } else {
            log.debug("no playback feedback at {} for a while; reading it again from its end", src.dir);
        }
        src.lastReadNanos = nanoTime.getAsLong();
        try {
            src.reader.close();
        } catch (RuntimeException ignored) {
            // the old reader's files may be gone: nothing to release
        }
        try {
            src.reader = new PlaybackFeedback.Reader(src.dir);
        } catch (RuntimeException e) {
            log.warn("cannot read playback feedback at {} again (next poll retries)", src.dir, e);
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Source src : sources.values()) {
            src.gates.values().forEach(Gate::release);
            synchronized (src) {
                src.reader.close();
            }
        }
        sources.clear();
    }

    /** One session's gate: the latest report and, while parked, the frame it waits to write. */
    private final class Gate implements LookAheadGate {
        private final int fps;
        private PlaybackFeedback.Position latest;
        private long latestAt;
        private long waitingUtterance;
        private int waitingFrame;
        private Runnable wake;

        Gate(int fps) {
            this.fps = fps;
        }

        @Override
        public boolean mayWrite(long utteranceId, int frame, Runnable wake) {
            synchronized (this) {
                if (allowed(utteranceId, frame)) {
                    return true;
                }
                this.waitingUtterance = utteranceId;
                this.waitingFrame = frame;
                this.wake = wake;
            }
            return false;
        }

        @Override
        public synchronized long reportedUtterance() {
            return latest == null ? 0 : latest.utteranceId();
        }

        synchronized void report(PlaybackFeedback.Position p, long now) {
            latest = p;
            latestAt = now;
        }

        void recheck() {
            Runnable w;
            synchronized (this) {
                if (wake == null || !allowed(waitingUtterance, waitingFrame)) {
                    return;
                }
                w = wake;
                wake = null;
            }
            w.run();
        }

        void release() {
            Runnable w;
            synchronized (this) {
                w = wake;
                wake = null;
            }
            if (w != null) {
                w.run();
            }
        }

        private boolean allowed(long utteranceId, int frame) {
            if (latest == null || nanoTime.getAsLong() - latestAt > staleAfterNanos) {
                return true; // no reports (an older streamer) or none lately: never hold speech on a silent peer
            }
            int cmp = io.facecast.bus.MediaFormat.compareUtterances(latest.utteranceId(), utteranceId);
            if (cmp > 0) {
                return true; // the streamer is already past this utterance (played or discarded)
            }
            long played = cmp == 0 ? Math.max(0, latest.framesPlayed(fps)) : 0;
            return frame < played + lookAheadMillis * fps / 1000;
        }
    }
}
