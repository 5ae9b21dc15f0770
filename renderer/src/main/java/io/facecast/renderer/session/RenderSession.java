package io.facecast.renderer.session;

import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.segment.SegmentWriter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * One session's state and its serial work queue: utterances run one after another, in the order spoken, as tasks on
 * a pool shared with other sessions (each turn runs one utterance, so sessions take turns fairly).
 *
 * <p>Cancellation is a mark ("everything with id <= n") polled between frames, never a thread interrupt: Chronicle
 * appenders do not tolerate interrupts.
 */
final class RenderSession {
    record Utterance(long id, String text, boolean syncMarkers) {}

    final String id;
    final Avatar avatar;
    final String voice;
    final VideoFormat format;
    final BusWriter bus;
    final SegmentWriter writer;

    private final Executor pool;
    private final Deque<Utterance> pending = new ArrayDeque<>();
    private boolean running;
    private boolean closed;
    private boolean anyDiscarded;
    private long discardThrough;

    RenderSession(String id, Avatar avatar, String voice, VideoFormat format, BusWriter bus, Executor pool) {
        this.id = id;
        this.avatar = avatar;
        this.voice = voice;
        this.format = format;
        this.bus = bus;
        this.writer = new SegmentWriter(bus);
        this.pool = pool;
    }

    /** Returns false when the queue already holds {@code maxPending} utterances. */
    synchronized boolean enqueue(Utterance u, int maxPending, Runnable turn) {
        if (pending.size() >= maxPending) {
            return false;
        }
        pending.add(u);
        if (!running) {
            running = true;
            pool.execute(turn);
        }
        return true;
    }

    /** Next utterance to render, or null (and the session goes idle) when there is none. */
    synchronized Utterance next() {
        Utterance u;
        while ((u = pending.poll()) != null && isCancelled(u.id())) {
            // discarded before it started
        }
        if (u == null) {
            running = false;
        }
        return u;
    }

    /** After an utterance: either schedule another turn (true) or go idle. */
    synchronized boolean hasMore() {
        if (pending.isEmpty()) {
            running = false;
            return false;
        }
        return true;
    }

    synchronized void discardThrough(long utteranceId) {
        if (!anyDiscarded || Long.compareUnsigned(utteranceId, discardThrough) > 0) {
            discardThrough = utteranceId;
        }
        anyDiscarded = true;
        pending.removeIf(u -> isCancelled(u.id()));
    }

    synchronized void close() {
        closed = true;
        pending.clear();
    }

    synchronized boolean isCancelled(long utteranceId) {
        return closed || (anyDiscarded && Long.compareUnsigned(utteranceId, discardThrough) <= 0);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    void schedule(Runnable turn) {
        pool.execute(turn);
    }
}
