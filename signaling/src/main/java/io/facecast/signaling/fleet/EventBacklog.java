package io.facecast.signaling.fleet;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The events a replica could not publish to the others (the shared store was unreachable), kept in order until it
 * answers again. Bounded both ways: at most {@code capacity} messages (a new one pushes out the oldest) and none
 * older than {@code maxAgeMillis} when sent (an event that late describes a past the watchers have moved beyond;
 * WatchEvents starts with the current state anyway). Both drops are counted.
 */
public final class EventBacklog {

    /** Messages kept while the store is unreachable. */
    public static final int DEFAULT_CAPACITY = 1000;
    /** The oldest message still worth sending once the store is back. */
    public static final long DEFAULT_MAX_AGE_MILLIS = 10_000;

    private record Pending(String message, long atMillis) {}

    private final Deque<Pending> pending = new ArrayDeque<>();
    private final int capacity;
    private final long maxAgeMillis;
    private final LongSupplier millis;
    private long droppedFull;
    private long droppedExpired;

    public EventBacklog(int capacity, long maxAgeMillis, LongSupplier millis) {
        if (capacity < 1 || maxAgeMillis < 1) {
            throw new IllegalArgumentException("an event backlog needs room for one message and a positive age");
        }
        this.capacity = capacity;
        this.maxAgeMillis = maxAgeMillis;
        this.millis = millis;
    }

    public synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    public synchronized int size() {
        return pending.size();
    }

    /** Keeps the message; when full, the oldest one goes (counted in {@link #droppedFull()}). */
    public synchronized void add(String message) {
        if (pending.size() >= capacity) {
            pending.pollFirst();
            droppedFull++;
        }
        pending.addLast(new Pending(message, millis.getAsLong()));
    }

    /** Forgets the messages older than the age bound (counted in {@link #droppedExpired()}). */
    public synchronized void expire() {
        long oldest = millis.getAsLong() - maxAgeMillis;
        while (!pending.isEmpty() && pending.peekFirst().atMillis() < oldest) {
            pending.pollFirst();
            droppedExpired++;
        }
    }

    /** Milliseconds the oldest message has waited; 0 when empty. */
    public synchronized long oldestAgeMillis() {
        return pending.isEmpty() ? 0 : millis.getAsLong() - pending.peekFirst().atMillis();
    }

    /**
     * Sends the messages in order (after {@link #expire()}); a send that throws stops the drain and keeps that
     * message and the ones after it for the next try.
     *
     * @return how many were sent
     */
    public synchronized int drain(Consumer<String> send) {
        expire();
        int sent = 0;
        while (!pending.isEmpty()) {
            send.accept(pending.peekFirst().message());
            pending.pollFirst();
            sent++;
        }
        return sent;
    }

    /** Messages pushed out because the backlog was full. */
    public synchronized long droppedFull() {
        return droppedFull;
    }

    /** Messages forgotten because they waited longer than the age bound. */
    public synchronized long droppedExpired() {
        return droppedExpired;
    }
}
