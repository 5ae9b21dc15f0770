package io.facecast.signaling.fleet;

import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The fleet state of a single signaling replica (the default, {@code --registry memory}): plain maps under one lock.
 * There is no other replica to tell, so events are not published anywhere.
 */
public final class MemoryFleetState implements FleetState {

    private final LongSupplier millis;
    private final String replicaId = "r-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, StreamerRecord> streamers = new HashMap<>();
    private final Map<String, Set<String>> slots = new HashMap<>();
    private final Map<String, SessionRecord> sessions = new HashMap<>();
    private final Map<String, Long> utterances = new HashMap<>();
    private final Map<String, Long> attended = new HashMap<>();

    /** @param millis fleet time in milliseconds (an injected clock in tests) */
    public MemoryFleetState(LongSupplier millis) {
        this.millis = millis;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String replicaId() {
        return replicaId;
    }

    @Override
    public long nowMillis() {
        return millis.getAsLong();
    }

    @Override
    public synchronized void putStreamer(StreamerRecord record) {
        streamers.put(record.streamerId(), record);
    }

    @Override
    public synchronized boolean heartbeat(String streamerId, String registrationId, long atMillis, StreamerState state,
                                          double load) {
        StreamerRecord record = streamers.get(streamerId);
        if (record == null || !record.registrationId().equals(registrationId)) {
            return false;
        }
        streamers.put(streamerId, record.withHeartbeat(atMillis, state, load));
        return true;
    }

    @Override
    public synchronized Optional<StreamerRecord> streamer(String streamerId) {
        return Optional.ofNullable(streamers.get(streamerId));
    }

    @Override
    public synchronized List<StreamerRecord> streamers() {
        return List.copyOf(streamers.values());
    }

    @Override
    public synchronized boolean removeStreamerIf(String streamerId, long heartbeatAtMillis) {
        StreamerRecord record = streamers.get(streamerId);
        if (record == null || record.heartbeatAtMillis() != heartbeatAtMillis) {
            return false;
        }
        streamers.remove(streamerId);
        slots.remove(streamerId);
        return true;
    }

    @Override
    public synchronized boolean reserve(String streamerId, String sessionId, double threshold, long ttlMillis) {
        StreamerRecord record = streamers.get(streamerId);
        if (record == null || record.state() != StreamerState.SERVING || record.load() > threshold
                || record.lapsed(nowMillis(), ttlMillis)) {
            return false;
        }
        Set<String> held = slots.computeIfAbsent(streamerId, k -> new LinkedHashSet<>());
        if (held.size() >= record.maxSessions()) {
            return false;
        }
        held.add(sessionId);
        return true;
    }

    @Override
    public synchronized void release(String streamerId, String sessionId) {
        Set<String> held = slots.get(streamerId);
        if (held != null) {
            held.remove(sessionId);
        }
    }

    @Override
    public synchronized int slotsUsed(String streamerId) {
        return slots.getOrDefault(streamerId, Set.of()).size();
    }

    @Override
    public synchronized void putSession(SessionRecord record) {
        SessionRecord old = sessions.put(record.sessionId(), record);
        if (old != null && !old.streamerId().equals(record.streamerId())) {
            release(old.streamerId(), old.sessionId());
        }
        slots.computeIfAbsent(record.streamerId(), k -> new LinkedHashSet<>()).add(record.sessionId());
    }

    @Override
    public synchronized Optional<SessionRecord> session(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public synchronized boolean removeSession(String sessionId) {
        SessionRecord record = sessions.remove(sessionId);
        utterances.remove(sessionId);
        attended.remove(sessionId);
        if (record == null) {
            return false;
        }
        release(record.streamerId(), sessionId);
        return true;
    }

    @Override
    public synchronized List<SessionRecord> sessionsOn(String streamerId) {
        List<SessionRecord> on = new ArrayList<>();
        for (SessionRecord record : sessions.values()) {
            if (record.streamerId().equals(streamerId)) {
                on.add(record);
            }
        }
        return on;
    }

    @Override
    public synchronized void setSessionState(String sessionId, SessionState state) {
        sessions.computeIfPresent(sessionId, (id, record) -> record.withState(state));
    }

    @Override
    public synchronized void setSessionOwner(String sessionId, String keyId, String credentialId) {
        sessions.computeIfPresent(sessionId, (id, record) -> record.withOwner(keyId, credentialId));
    }

    @Override
    public synchronized long nextUtteranceId(String sessionId) {
        return utterances.merge(sessionId, 1L, Long::sum);
    }

    @Override
    public synchronized void raiseUtteranceId(String sessionId, long atLeast) {
        utterances.merge(sessionId, atLeast, Math::max);
    }

    @Override
    public synchronized long lastUtteranceId(String sessionId) {
        return utterances.getOrDefault(sessionId, 0L);
    }

    @Override
    public synchronized void attended(String sessionId, long atMillis) {
        if (sessions.containsKey(sessionId)) {
            attended.put(sessionId, atMillis);
        }
    }

    @Override
    public synchronized long attendedAt(String sessionId) {
        return attended.getOrDefault(sessionId, 0L);
    }

    @Override
    public void publish(SessionEvent event) {
        // One replica: its own watchers got the event already.
    }

    @Override
    public void subscribe(Consumer<SessionEvent> listener) {
        // Nothing ever arrives from another replica.
    }

    @Override
    public void replicaAlive(long ttlMillis) {
    }

    @Override
    public boolean isReplicaAlive(String replicaId) {
        return this.replicaId.equals(replicaId);
    }

    @Override
    public boolean lostData() {
        return false;
    }

    @Override
    public void close() {
    }
}
