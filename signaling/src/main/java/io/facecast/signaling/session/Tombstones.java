package io.facecast.signaling.session;

import io.facecast.api.v1.Session;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Recently closed sessions, so a late call gets "session X is closed" rather than "does not exist". Bounded in both
 * time and count so a flood of short sessions cannot grow memory.
 */
public final class Tombstones {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final int DEFAULT_CAPACITY = 10_000;

    private record Entry(Session session, long closedAtNanos) {}

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    private final int capacity;

    public Tombstones(LongSupplier nanoTime, Duration ttl, int capacity) {
        this.nanoTime = nanoTime;
        this.ttlNanos = ttl.toNanos();
        this.capacity = capacity;
    }

    public synchronized void record(Session closed) {
        entries.remove(closed.getSessionId());
        entries.put(closed.getSessionId(), new Entry(closed, nanoTime.getAsLong()));
        prune();
    }

    public synchronized Optional<Session> find(String sessionId) {
        prune();
        Entry entry = entries.get(sessionId);
        return entry == null ? Optional.empty() : Optional.of(entry.session());
    }

    public synchronized int size() {
        prune();
        return entries.size();
    }

    /** Oldest first: drop the expired ones and any beyond capacity. */
    private void prune() {
        long now = nanoTime.getAsLong();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Entry oldest = it.next().getValue();
            if (entries.size() > capacity || now - oldest.closedAtNanos() > ttlNanos) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
