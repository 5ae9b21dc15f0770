package io.facecast.signaling.fleet;

import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What signaling replicas share: the streamers (nodes) with their heartbeats, the slots taken on them, the live
 * sessions, and the events of those sessions. {@link MemoryFleetState} serves one replica (the default, the local
 * stack); {@link RedisFleetState} lets several replicas serve any call (key layout: docs/fleet.md).
 *
 * <p>Every "remove" answers true to exactly one caller, so when two replicas notice the same thing (a streamer gone
 * silent, a session closed through both), one of them does the clean-up once. Failures to reach the store are
 * {@link io.grpc.StatusRuntimeException}s with UNAVAILABLE.
 */
public interface FleetState extends AutoCloseable {

    /** False for a single replica's in-memory state: nothing to fan out, nothing to resynchronize. */
    boolean shared();

    /** This replica's id (random per process). */
    String replicaId();

    /** Fleet time in milliseconds: heartbeats and expiry are compared in it. */
    long nowMillis();

    // ---- streamers ----

    /** Writes the streamer's record (a registration); its slots are kept. */
    void putStreamer(StreamerRecord record);

    /**
     * Refreshes the heartbeat of this registration of the streamer.
     *
     * @return false when the record is gone or belongs to another registration
     */
    boolean heartbeat(String streamerId, String registrationId, long atMillis, StreamerState state, double load);

    Optional<StreamerRecord> streamer(String streamerId);

    List<StreamerRecord> streamers();

    /**
     * Removes the streamer's record if its heartbeat is still {@code heartbeatAtMillis} (so a heartbeat that just
     * arrived wins); true for the one caller that removed it, which then fails the streamer's sessions (their
     * records stay until then). A shared store keeps the slots until those sessions are removed: the winner may be a
     * replica that never served them and finds them only through {@link #sessionsOn}.
     */
    boolean removeStreamerIf(String streamerId, long heartbeatAtMillis);

    // ---- slots ----

    /**
     * Takes one of the streamer's slots for the session, atomically: only while the streamer's record is fresh
     * ({@code ttlMillis}), SERVING, its reported load (CPU) at most {@code threshold} and fewer than its max sessions
     * are held.
     */
    boolean reserve(String streamerId, String sessionId, double threshold, long ttlMillis);

    /** Gives the session's slot on the streamer back (harmless when it holds none). */
    void release(String streamerId, String sessionId);

    /** Slots held on the streamer (live sessions plus creates in progress). */
    int slotsUsed(String streamerId);

    // ---- sessions ----

    /** Writes the session's record and makes sure it holds its slot on its streamer. */
    void putSession(SessionRecord record);

    Optional<SessionRecord> session(String sessionId);

    /** Removes the session's record and its slot; true for the one caller that removed it. */
    boolean removeSession(String sessionId);

    List<SessionRecord> sessionsOn(String streamerId);

    /** Who created the session (no-op for an unknown session). */
    void setSessionOwner(String sessionId, String keyId, String credentialId);

    /** The session's state as last reported (no-op for an unknown session). */
    void setSessionState(String sessionId, SessionState state);

    /** Assigns the session's next utterance id: unique across replicas. */
    long nextUtteranceId(String sessionId);

    /** Makes sure the next utterance id is above this one (written back after the store lost its data). */
    void raiseUtteranceId(String sessionId, long atLeast);

    /** The last utterance id assigned to the session (0: none). */
    long lastUtteranceId(String sessionId);

    /** Someone (this replica) watches the session now; {@link #attendedAt} tells the others. */
    void attended(String sessionId, long atMillis);

    /** When some replica last saw a watcher on the session; 0 if never. */
    long attendedAt(String sessionId);

    // ---- events ----

    /** Sends the event to every other replica (this replica delivers to its own watchers itself). */
    void publish(SessionEvent event);

    /** Receives every event other replicas publish. */
    void subscribe(Consumer<SessionEvent> listener);

    // ---- replicas ----

    /** Says this replica is alive (for {@code ttlMillis}). */
    void replicaAlive(long ttlMillis);

    boolean isReplicaAlive(String replicaId);

    /**
     * True once after the store lost its data (Redis restarted empty): the caller writes back what it knows (its
     * streamers, the sessions it holds).
     */
    boolean lostData();

    /**
     * True while the store is being rebuilt after it lost its data: for the rebuild window (docs/fleet.md) from the
     * moment this replica saw the changed epoch, or when asking now finds it changed (a lookup that came before this
     * replica's once-a-second pass noticed). A session id the store does not know may then be one whose holder has
     * not written it back yet: callers answer UNAVAILABLE ("retry in a second"), not NOT_FOUND. False for a store
     * that cannot lose its data (memory).
     */
    default boolean rebuilding() {
        return false;
    }

    // ---- what a shared store adds (defaults: a single replica has none of it) ----

    /** The API keys' limits counted across every replica; empty: count them in this process. */
    default Optional<FleetQuotas> quotas() {
        return Optional.empty();
    }

    /** The events waiting for the store to answer again (see {@link #flushEvents()}); empty: nothing is buffered. */
    default Optional<EventBacklog> eventBacklog() {
        return Optional.empty();
    }

    /**
     * Publishes, in order, the events buffered while the store was unreachable, once it answers and the other
     * replicas had time to subscribe again. Never throws; called once a second.
     *
     * @return how many were published
     */
    default int flushEvents() {
        return 0;
    }

    /**
     * Sessions no live replica holds: the replica that created (or wrote back) each one is gone. Session id ->
     * the gone holder ("" for none), to pass to {@link #claimSession}.
     */
    default java.util.Map<String, String> orphanedSessions() {
        return java.util.Map.of();
    }

    /**
     * Slots taken on the fleet's streamers by sessions that have no record: creates in progress, or creates whose
     * replica died between the reservation and writing the record. Streamer id -> those session ids.
     */
    default java.util.Map<String, List<String>> slotsWithoutRecord() {
        return java.util.Map.of();
    }

    /** Makes this replica the session's holder if its holder is still {@code goneHolder}: true for exactly one caller. */
    default boolean claimSession(String sessionId, String goneHolder) {
        return false;
    }

    /** Gives up a claim this replica could not follow through: the session is an orphan again, for anyone to claim. */
    default void unclaimSession(String sessionId) {
    }

    @Override
    void close();
}
