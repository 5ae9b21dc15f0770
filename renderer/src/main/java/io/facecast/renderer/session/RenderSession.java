package io.facecast.renderer.session;

import io.facecast.bus.MediaFormat;
import io.facecast.renderer.avatar.Avatar;

import java.util.concurrent.Executor;

/**
 * One session's state and its serial work queue: utterances run one after another, in the order spoken, as tasks on
 * a pool shared with other sessions (each turn runs one utterance, so sessions take turns fairly).
 *
 * <p>Cancellation is a mark ("everything with id <= n") polled between frames, never a thread interrupt: Chronicle
 * appenders do not tolerate interrupts.
 */
final class RenderSession {
    /** An utterance and the state that writes it, step by step, into its segment. */
    record Utterance(long id, SegmentRenderer renderer) {}

    final String id;
    final Avatar avatar;
    final String voice;
    final VideoFormat format;
    final BusWriter bus;
    /** How far ahead of playback this session's frames may be written. */
    final LookAheadGate gate;

    private final Executor pool;
    private final java.util.LinkedList<Utterance> pending = new java.util.LinkedList<>();
    private boolean running;
    /** The utterance a turn is working on; a streamed one stays current across turns until it is done. */
    private Utterance current;
    /** A streamed utterance ran out of input: no turn is scheduled until {@link #wake} brings more. */
    private boolean parked;
    private boolean signalled;
    private Runnable turn;
    private boolean closed;
    private boolean anyDiscarded;
    private long discardThrough;
    /** Re-opened after a renderer restart: the highest utterance id its queue held then (package-info). */
    private boolean reopened;
    private long reopenedAbove;

    RenderSession(String id, Avatar avatar, String voice, VideoFormat format, BusWriter bus, LookAheadGate gate, Executor pool) {
        this.id = id;
        this.avatar = avatar;
        this.voice = voice;
        this.format = format;
        this.bus = bus;
        this.gate = gate;
        this.pool = pool;
    }

    /** Returns false when the queue already holds {@code maxPending} utterances. */
    synchronized boolean enqueue(Utterance u, int maxPending, Runnable turn) {
        if (pending.size() >= maxPending) {
            return false;
        }
        // Signaling assigns ids in order but calls without a lock, so two Speaks may arrive swapped: waiting
        // utterances are kept in id order (one already started keeps its place).
        java.util.ListIterator<Utterance> it = pending.listIterator(pending.size());
        while (it.hasPrevious()) {
            if (MediaFormat.compareUtterances(it.previous().id(), u.id()) <= 0) {
                it.next();
                break;
            }
        }
        it.add(u);
        this.turn = turn;
        if (!running) {
            running = true;
            pool.execute(turn);
        }
        return true;
    }

    /** The current utterance if one is in progress, else the next one to render, or null (the session goes idle). */
    synchronized Utterance next() {
        if (current != null) {
            return current;
        }
        Utterance u;
        while ((u = pending.poll()) != null && isCancelled(u.id())) {
            u.renderer().discarded(); // discarded before it started
        }
        if (u == null) {
            running = false;
        }
        current = u;
        return u;
    }

    /**
     * The current (streamed) utterance waits for input. Returns false when input arrived since the turn began, in
     * which case the caller must run another turn instead of parking.
     */
    synchronized boolean park() {
        if (signalled) {
            signalled = false;
            return false;
        }
        parked = true;
        return true;
    }

    /** New input, an interrupt or a close: a parked session gets a turn again. */
    void wake() {
        Runnable t;
        synchronized (this) {
            signalled = true;
            if (!parked) {
                return;
            }
            parked = false;
            signalled = false;
            t = turn;
        }
        pool.execute(t);
    }

    /** After an utterance: either schedule another turn (true) or go idle. */
    synchronized boolean hasMore() {
        current = null;
        if (pending.isEmpty()) {
            running = false;
            return false;
        }
        return true;
    }

    synchronized void discardThrough(long utteranceId) {
        if (!anyDiscarded || !MediaFormat.isThrough(utteranceId, discardThrough)) {
            discardThrough = utteranceId;
        }
        anyDiscarded = true;
        pending.removeIf(u -> {
            if (isCancelled(u.id())) {
                u.renderer().discarded();
                return true;
            }
            return false;
        });
        wakeLater();
    }

    synchronized void close() {
        closed = true;
        pending.forEach(u -> u.renderer().discarded());
        pending.clear();
        wakeLater();
    }

    /** A parked (streamed) utterance must see the cancellation: give it a turn to finish. Lock held. */
    private void wakeLater() {
        if (parked) {
            parked = false;
            signalled = false;
            pool.execute(turn);
        }
    }

    synchronized boolean isCancelled(long utteranceId) {
        return closed || (anyDiscarded && MediaFormat.isThrough(utteranceId, discardThrough));
    }

    synchronized void reopenedAbove(boolean found, long lastUtteranceId) {
        reopened = found;
        reopenedAbove = lastUtteranceId;
    }

    /**
     * For a re-opened session, the highest utterance id the streamer may already have: what the queue held at open
     * or what the streamer last reported reading, whichever is higher. 0 for a fresh session.
     */
    long earlierUtterances() {
        boolean r;
        long floor;
        synchronized (this) {
            r = reopened;
            floor = reopenedAbove;
        }
        if (!r) {
            return 0;
        }
        long reported = gate.reportedUtterance();
        return Long.compareUnsigned(reported, floor) > 0 ? reported : floor;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    void schedule(Runnable turn) {
        pool.execute(turn);
    }
}
