package io.facecast.signaling.fleet;

import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.grpc.Status;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet state in Redis, shared by every signaling replica ({@code --registry redis://HOST:PORT}). Key layout
 * (docs/fleet.md):
 * <pre>
 * facecast:streamers                  SET   ids of the fleet's streamers
 * facecast:streamer:ID                HASH  node, control, renderer, bus, max, state, load, hb, reg, replica
 * facecast:streamer:ID:slots          SET   session ids holding a slot on it (live sessions + creates in progress)
 * facecast:session:ID                 HASH  streamer, renderer, bus, snapshot (base64 facecast.v1.Session), state,
 *                                           owner_key, owner_cred, utt (utterance counter), attended (ms),
 *                                           holder (the replica that created or wrote it back)
 * facecast:sessions                   SET   ids of the live sessions (found by the orphan pass)
 * facecast:key:ID:rate                HASH  tokens, at (ms): the API key's request bucket
 * facecast:key:ID:sessions            ZSET  the API key's session places: session id (score 0) or create hold
 *                                           (score: when the hold lapses)
 * facecast:replica:ID                 STRING (TTL) a replica's liveness
 * facecast:epoch                      STRING a random value; gone or changed: Redis lost its data
 * channel facecast:events             "replica-id base64(facecast.v1.SessionEvent)" per event
 * </pre>
 * Every check-then-write is one Lua script (heartbeat, reserve, the removals), so replicas never race on it.
 * Streamer hashes expire {@link #RECORD_TTL} after their last heartbeat so nothing outlives a fleet that went away.
 * Lettuce reconnects with bounded exponential backoff (100 ms doubling to 2 s) and resubscribes the channel by
 * itself; while Redis is down calls fail at once with UNAVAILABLE instead of queueing.
 */
public final class RedisFleetState implements FleetState, FleetQuotas {

    private static final Logger log = LoggerFactory.getLogger(RedisFleetState.class);
    static final String PREFIX = "facecast:";
    static final String STREAMERS = PREFIX + "streamers";
    static final String EPOCH = PREFIX + "epoch";
    static final String EVENTS = PREFIX + "events";
    static final String SESSIONS = PREFIX + "sessions";
    /**
     * The default rebuild window: Lettuce's longest reconnect delay (2 s), the once-a-second pass that writes back,
     * and two heartbeats of 1 s (a streamer's record is written back by its next heartbeat).
     */
    public static final Duration DEFAULT_REBUILD_WINDOW = rebuildWindow(Duration.ofSeconds(1));
    /** After the store answers again, how long a replica waits for the others to resubscribe before it flushes anyway. */
    static final long RESUBSCRIBE_GRACE_MILLIS = 3_000;
    static final Duration RECORD_TTL = Duration.ofSeconds(60);

    private static final String HEARTBEAT = """
            if redis.call('HGET', KEYS[1], 'reg') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'hb', ARGV[2], 'state', ARGV[3], 'load', ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1""";
    private static final String REMOVE_STREAMER_IF = """
            if redis.call('HGET', KEYS[1], 'hb') ~= ARGV[1] then return 0 end
            -- KEYS[2] (the slots) stays: the winner finds the sessions to fail there, even those it never served;
            -- each session's removal takes its id out, and Redis drops the set once it is empty.
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[3], ARGV[2])
            return 1""";
    private static final String RESERVE = """
            local s = redis.call('HMGET', KEYS[1], 'state', 'max', 'load', 'hb')
            if not s[1] or s[1] ~= 'SERVING' then return 0 end
            if tonumber(ARGV[3]) - tonumber(s[4]) > tonumber(ARGV[4]) then return 0 end
            if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 1 end
            if tonumber(s[3]) > tonumber(ARGV[2]) then return 0 end
            if redis.call('SCARD', KEYS[2]) >= tonumber(s[2]) then return 0 end
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1""";
    private static final String REMOVE_SESSION = """
            local streamer = redis.call('HGET', KEYS[1], 'streamer')
            if not streamer then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', ARGV[1] .. streamer .. ':slots', ARGV[2])
            redis.call('SREM', KEYS[2], ARGV[2])
            return 1""";
    private static final String ORPHANS = """
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local h = redis.call('HMGET', ARGV[1] .. 'session:' .. id, 'streamer', 'holder')
              if not h[1] then
                redis.call('SREM', KEYS[1], id)
              elseif not h[2] or (h[2] ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. 'replica:' .. h[2]) == 0) then
                table.insert(out, id)
                table.insert(out, h[2] or '')
              end
            end
            return out""";
    private static final String SLOTS_WITHOUT_RECORD = """
            local out = {}
            for _, s in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              for _, id in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'streamer:' .. s .. ':slots')) do
                if redis.call('EXISTS', ARGV[1] .. 'session:' .. id) == 0 then
                  table.insert(out, s)
                  table.insert(out, id)
                end
              end
            end
            return out""";
    private static final String CLAIM = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            if (redis.call('HGET', KEYS[1], 'holder') or '') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'holder', ARGV[2])
            return 1""";
    private static final String TAKE_REQUEST = """
            local now, rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(b[1]) or burst
            local at = tonumber(b[2]) or now
            if now > at then
              tokens = math.min(burst, tokens + (now - at) / 1000 * rate)
              at = now
            end
            local wait = 0
            if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', string.format('%d', at))
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return wait""";
    private static final String HOLD_PLACE = """
            local now = tonumber(ARGV[1])
            local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
            for i = 1, #entries, 2 do
              local id, score = entries[i], tonumber(entries[i + 1])
              if score == 0 then
                if redis.call('EXISTS', ARGV[5] .. id) == 0 then redis.call('ZREM', KEYS[1], id) end
              elseif score < now then
                redis.call('ZREM', KEYS[1], id)
              end
            end
            local used = redis.call('ZCARD', KEYS[1])
            if used >= tonumber(ARGV[3]) then return used end
            redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
            return -1""";
    private static final String COMMIT_PLACE = """
            redis.call('ZREM', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[1], 0, ARGV[2])
            return 1""";
    private static final String SET_IF_EXISTS = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV))
            return 1""";

    private static final String RAISE_UTTERANCE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            if tonumber(redis.call('HGET', KEYS[1], 'utt') or '0') < tonumber(ARGV[1]) then
              redis.call('HSET', KEYS[1], 'utt', ARGV[1])
            end
            return 1""";

    private final RedisClient client;
    private final ClientResources resources;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final String where;
    private final LongSupplier millis;
    private final String replicaId = "r-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Consumer<SessionEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile String epoch;
    private final EventBacklog backlog;
    private volatile long rebuildWindowMillis = DEFAULT_REBUILD_WINDOW.toMillis();
    /** Fleet ms when this replica last saw the store lose its data; valid once {@link #lostSeen}. */
    private long lostSeenAtMillis;
    private boolean lostSeen;
    /** The loss was seen but not yet reported by {@link #lostData()} (which makes the caller write back). */
    private boolean writeBackPending;
    /** Replicas subscribed to the events channel when last asked while healthy (the flush waits for as many). */
    private volatile long subscribersBefore;
    /** Fleet ms since when the store answers with events still buffered; -1 when not flushing. */
    private long reachableSinceMillis = -1;

    /**
     * Connects (and subscribes to the events channel) at once.
     *
     * @param uri    redis://HOST:PORT
     * @param millis fleet time (wall clock: replicas on several hosts compare heartbeats in it)
     * @throws IllegalArgumentException when Redis cannot be reached now
     */
    public RedisFleetState(String uri, LongSupplier millis) {
        this.millis = millis;
        this.backlog = new EventBacklog(EventBacklog.DEFAULT_CAPACITY, EventBacklog.DEFAULT_MAX_AGE_MILLIS, millis);
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofSeconds(2));
        this.where = "Redis at " + redisUri.getHost() + ":" + redisUri.getPort();
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2,
                        java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            this.connection = client.connect();
            this.pubSub = client.connectPubSub();
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown();
            throw new IllegalArgumentException("the fleet registry " + where + " is not reachable: " + e.getMessage(), e);
        }
        this.redis = connection.sync();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                deliver(message);
            }
        });
        pubSub.sync().subscribe(EVENTS);
        this.epoch = redis.get(EPOCH);
        if (epoch == null) {
            String fresh = UUID.randomUUID().toString();
            redis.set(EPOCH, fresh, SetArgs.Builder.nx());
            epoch = redis.get(EPOCH);
        }
        log.info("fleet state in {} (replica {})", where, replicaId);
    }

    /**
     * The rebuild window for a heartbeat period: Lettuce's longest reconnect delay (2 s, every replica is back by
     * then), the once-a-second pass that writes back what each replica holds, and two heartbeat periods (each
     * streamer's record comes back with its next heartbeat; one spare).
     */
    public static Duration rebuildWindow(Duration heartbeatInterval) {
        return Duration.ofSeconds(3).plus(heartbeatInterval.multipliedBy(2));
    }

    /** Sets how long after a data loss unknown session ids answer UNAVAILABLE (see {@link #rebuildWindow}). */
    public RedisFleetState withRebuildWindow(Duration window) {
        this.rebuildWindowMillis = window.toMillis();
        return this;
    }

    private <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw Status.UNAVAILABLE.withDescription("the shared fleet state is unreachable; try again in a few seconds")
                    .withCause(e).asRuntimeException();
        }
    }

    private void run(Runnable command) {
        call(() -> {
            command.run();
            return null;
        });
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String replicaId() {
        return replicaId;
    }

    @Override
    public long nowMillis() {
        return millis.getAsLong();
    }

    static String streamerKey(String id) {
        return PREFIX + "streamer:" + id;
    }

    static String slotsKey(String id) {
        return PREFIX + "streamer:" + id + ":slots";
    }

    static String sessionKey(String id) {
        return PREFIX + "session:" + id;
    }

    static String replicaKey(String id) {
        return PREFIX + "replica:" + id;
    }

    // ---- streamers ----

    @Override
    public void putStreamer(StreamerRecord r) {
        Map<String, String> fields = new HashMap<>();
        fields.put("node", r.nodeId());
        fields.put("control", r.controlAddress());
        fields.put("renderer", r.rendererAddress());
        fields.put("bus", r.busPath());
        fields.put("max", Integer.toString(r.maxSessions()));
        fields.put("state", r.state().name());
        fields.put("load", Double.toString(r.load()));
        fields.put("hb", Long.toString(r.heartbeatAtMillis()));
        fields.put("reg", r.registrationId());
        fields.put("replica", r.replicaId());
        run(() -> {
            redis.hset(streamerKey(r.streamerId()), fields);
            redis.pexpire(streamerKey(r.streamerId()), RECORD_TTL.toMillis());
            redis.sadd(STREAMERS, r.streamerId());
        });
    }

    @Override
    public boolean heartbeat(String streamerId, String registrationId, long atMillis, StreamerState state, double load) {
        Long done = call(() -> redis.eval(HEARTBEAT, ScriptOutputType.INTEGER, new String[] {streamerKey(streamerId)},
                registrationId, Long.toString(atMillis), state.name(), Double.toString(load),
                Long.toString(RECORD_TTL.toMillis())));
        return done == 1;
    }

    @Override
    public Optional<StreamerRecord> streamer(String streamerId) {
        Map<String, String> h = call(() -> redis.hgetall(streamerKey(streamerId)));
        return Optional.ofNullable(toStreamer(streamerId, h));
    }

    private static StreamerRecord toStreamer(String id, Map<String, String> h) {
        if (h == null || h.get("reg") == null || h.get("hb") == null) {
            return null;
        }
        return new StreamerRecord(id, h.getOrDefault("node", id), h.getOrDefault("control", ""),
                h.getOrDefault("renderer", ""), h.getOrDefault("bus", ""), Integer.parseInt(h.getOrDefault("max", "0")),
                StreamerState.valueOf(h.getOrDefault("state", "SERVING")), Double.parseDouble(h.getOrDefault("load", "0")),
                Long.parseLong(h.get("hb")), h.get("reg"), h.getOrDefault("replica", ""));
    }

    @Override
    public List<StreamerRecord> streamers() {
        return call(() -> {
            List<StreamerRecord> all = new ArrayList<>();
            for (String id : redis.smembers(STREAMERS)) {
                StreamerRecord record = toStreamer(id, redis.hgetall(streamerKey(id)));
                if (record != null) {
                    all.add(record);
                } else {
                    redis.srem(STREAMERS, id); // its hash expired: every replica that knew it is gone
                }
            }
            return all;
        });
    }

    @Override
    public boolean removeStreamerIf(String streamerId, long heartbeatAtMillis) {
        Long done = call(() -> redis.eval(REMOVE_STREAMER_IF, ScriptOutputType.INTEGER,
                new String[] {streamerKey(streamerId), slotsKey(streamerId), STREAMERS},
                Long.toString(heartbeatAtMillis), streamerId));
        return done == 1;
    }

    // ---- slots ----

    @Override
    public boolean reserve(String streamerId, String sessionId, double threshold, long ttlMillis) {
        Long done = call(() -> redis.eval(RESERVE, ScriptOutputType.INTEGER,
                new String[] {streamerKey(streamerId), slotsKey(streamerId)},
                sessionId, Double.toString(threshold), Long.toString(nowMillis()), Long.toString(ttlMillis)));
        return done == 1;
    }

    @Override
    public void release(String streamerId, String sessionId) {
        run(() -> redis.srem(slotsKey(streamerId), sessionId));
    }

    @Override
    public int slotsUsed(String streamerId) {
        return call(() -> redis.scard(slotsKey(streamerId))).intValue();
    }

    // ---- sessions ----

    @Override
    public void putSession(SessionRecord r) {
        Map<String, String> fields = new HashMap<>();
        fields.put("streamer", r.streamerId());
        fields.put("renderer", r.rendererAddress());
        fields.put("bus", r.busPath());
        fields.put("snapshot", Base64.getEncoder().encodeToString(r.snapshot().toByteArray()));
        fields.put("state", r.state().name());
        fields.put("owner_key", r.ownerKeyId());
        fields.put("owner_cred", r.ownerCredentialId());
        run(() -> {
            String old = redis.hget(sessionKey(r.sessionId()), "streamer");
            redis.hset(sessionKey(r.sessionId()), fields);
            // The first writer holds it (a create, or a write-back); an adopting re-registration does not take over.
            redis.hsetnx(sessionKey(r.sessionId()), "holder", replicaId);
            redis.sadd(SESSIONS, r.sessionId());
            if (old != null && !old.equals(r.streamerId())) {
                redis.srem(slotsKey(old), r.sessionId());
            }
            redis.sadd(slotsKey(r.streamerId()), r.sessionId());
        });
    }

    @Override
    public Optional<SessionRecord> session(String sessionId) {
        return Optional.ofNullable(toSession(sessionId, call(() -> redis.hgetall(sessionKey(sessionId)))));
    }

    private static SessionRecord toSession(String id, Map<String, String> h) {
        if (h == null || h.get("streamer") == null || h.get("snapshot") == null) {
            return null;
        }
        Session snapshot;
        try {
            snapshot = Session.parseFrom(Base64.getDecoder().decode(h.get("snapshot")));
        } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
            log.warn("session {} has an unreadable record in the fleet state; ignored", id);
            return null;
        }
        return new SessionRecord(id, h.get("streamer"), h.getOrDefault("renderer", ""), h.getOrDefault("bus", ""),
                snapshot, SessionState.valueOf(h.getOrDefault("state", "SESSION_STATE_NEW")),
                h.getOrDefault("owner_key", ""), h.getOrDefault("owner_cred", ""));
    }

    @Override
    public boolean removeSession(String sessionId) {
        Long done = call(() -> redis.eval(REMOVE_SESSION, ScriptOutputType.INTEGER,
                new String[] {sessionKey(sessionId), SESSIONS}, PREFIX + "streamer:", sessionId));
        return done == 1;
    }

    @Override
    public List<SessionRecord> sessionsOn(String streamerId) {
        return call(() -> {
            List<SessionRecord> on = new ArrayList<>();
            for (String id : redis.smembers(slotsKey(streamerId))) {
                SessionRecord record = toSession(id, redis.hgetall(sessionKey(id)));
                if (record != null && record.streamerId().equals(streamerId)) {
                    on.add(record);
                }
            }
            return on;
        });
    }

    @Override
    public void setSessionState(String sessionId, SessionState state) {
        run(() -> redis.eval(SET_IF_EXISTS, ScriptOutputType.INTEGER, new String[] {sessionKey(sessionId)},
                "state", state.name()));
    }

    @Override
    public void setSessionOwner(String sessionId, String keyId, String credentialId) {
        run(() -> redis.eval(SET_IF_EXISTS, ScriptOutputType.INTEGER, new String[] {sessionKey(sessionId)},
                "owner_key", keyId, "owner_cred", credentialId));
    }

    @Override
    public long nextUtteranceId(String sessionId) {
        return call(() -> redis.hincrby(sessionKey(sessionId), "utt", 1));
    }

    @Override
    public void raiseUtteranceId(String sessionId, long atLeast) {
        run(() -> redis.eval(RAISE_UTTERANCE, ScriptOutputType.INTEGER, new String[] {sessionKey(sessionId)},
                Long.toString(atLeast)));
    }

    @Override
    public long lastUtteranceId(String sessionId) {
        String value = call(() -> redis.hget(sessionKey(sessionId), "utt"));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public void attended(String sessionId, long atMillis) {
        run(() -> redis.eval(SET_IF_EXISTS, ScriptOutputType.INTEGER, new String[] {sessionKey(sessionId)},
                "attended", Long.toString(atMillis)));
    }

    @Override
    public long attendedAt(String sessionId) {
        String value = call(() -> redis.hget(sessionKey(sessionId), "attended"));
        return value == null ? 0 : Long.parseLong(value);
    }

    // ---- events ----

    /**
     * Publishes at once, or keeps the event in the backlog when the store is unreachable or older events still wait
     * there (order is kept); {@link #flushEvents()} sends them when the store is back.
     */
    @Override
    public void publish(SessionEvent event) {
        String message = replicaId + " " + Base64.getEncoder().encodeToString(event.toByteArray());
        synchronized (backlog) {
            if (!backlog.isEmpty()) {
                backlog.add(message);
                return;
            }
            try {
                redis.publish(EVENTS, message);
            } catch (RedisException e) {
                log.warn("{} is unreachable: keeping events for the other replicas until it answers ({}, up to {} "
                        + "events and {} s)", where, e.getMessage(), EventBacklog.DEFAULT_CAPACITY,
                        EventBacklog.DEFAULT_MAX_AGE_MILLIS / 1000);
                backlog.add(message);
            }
        }
    }

    @Override
    public Optional<EventBacklog> eventBacklog() {
        return Optional.of(backlog);
    }

    /**
     * Sends the backlog in order once the store answers and as many replicas are subscribed again as were before
     * the outage (Lettuce resubscribes each on its own reconnect), or {@link #RESUBSCRIBE_GRACE_MILLIS} after the
     * store answered (a replica may have died meanwhile). While healthy, notes how many are subscribed.
     */
    @Override
    public int flushEvents() {
        synchronized (backlog) {
            backlog.expire();
            try {
                long subscribers = redis.pubsubNumsub(EVENTS).getOrDefault(EVENTS, 0L);
                if (backlog.isEmpty()) {
                    subscribersBefore = subscribers;
                    reachableSinceMillis = -1;
                    return 0;
                }
                long now = nowMillis();
                if (reachableSinceMillis < 0) {
                    reachableSinceMillis = now;
                }
                if (subscribers < subscribersBefore && now - reachableSinceMillis < RESUBSCRIBE_GRACE_MILLIS) {
                    return 0;
                }
                int sent = backlog.drain(message -> redis.publish(EVENTS, message));
                reachableSinceMillis = -1;
                log.info("{} answers again: published {} events kept while it was unreachable", where, sent);
                return sent;
            } catch (RedisException e) {
                reachableSinceMillis = -1;
                return 0;
            }
        }
    }

    @Override
    public void subscribe(Consumer<SessionEvent> listener) {
        listeners.add(listener);
    }

    private void deliver(String message) {
        int space = message.indexOf(' ');
        if (space <= 0 || message.substring(0, space).equals(replicaId)) {
            return;
        }
        SessionEvent event;
        try {
            event = SessionEvent.parseFrom(Base64.getDecoder().decode(message.substring(space + 1)));
        } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
            log.warn("dropping an unreadable message on {}", EVENTS);
            return;
        }
        for (Consumer<SessionEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.error("failed to deliver an event of session {} from another replica", event.getSessionId(), e);
            }
        }
    }

    @Override
    public java.util.Map<String, String> orphanedSessions() {
        List<Object> flat = call(() -> redis.eval(ORPHANS, ScriptOutputType.MULTI, new String[] {SESSIONS},
                PREFIX, replicaId));
        java.util.Map<String, String> orphans = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            orphans.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return orphans;
    }

    @Override
    public java.util.Map<String, List<String>> slotsWithoutRecord() {
        List<Object> flat = call(() -> redis.eval(SLOTS_WITHOUT_RECORD, ScriptOutputType.MULTI,
                new String[] {STREAMERS}, PREFIX));
        java.util.Map<String, List<String>> slots = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            slots.computeIfAbsent((String) flat.get(i), k -> new ArrayList<>()).add((String) flat.get(i + 1));
        }
        return slots;
    }

    @Override
    public boolean claimSession(String sessionId, String goneHolder) {
        Long done = call(() -> redis.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {sessionKey(sessionId)},
                goneHolder, replicaId));
        return done == 1;
    }

    @Override
    public void unclaimSession(String sessionId) {
        run(() -> redis.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {sessionKey(sessionId)}, replicaId, ""));
    }

    // ---- API key quotas ----

    @Override
    public Optional<FleetQuotas> quotas() {
        return Optional.of(this);
    }

    static String rateKey(String keyId) {
        return PREFIX + "key:" + keyId + ":rate";
    }

    static String placesKey(String keyId) {
        return PREFIX + "key:" + keyId + ":sessions";
    }

    @Override
    public long takeRequest(String keyId, double perSecond, int burst) {
        // The bucket outlives a full refill by a second; then a fresh one (full) is the same thing.
        long ttl = (long) Math.ceil(burst / perSecond * 1000) + 1000;
        return call(() -> redis.eval(TAKE_REQUEST, ScriptOutputType.INTEGER, new String[] {rateKey(keyId)},
                Long.toString(nowMillis()), Double.toString(perSecond), Integer.toString(burst), Long.toString(ttl)));
    }

    @Override
    public long holdSessionPlace(String keyId, String holdId, int cap, long holdTtlMillis) {
        long now = nowMillis();
        return call(() -> redis.eval(HOLD_PLACE, ScriptOutputType.INTEGER, new String[] {placesKey(keyId)},
                Long.toString(now), holdId, Integer.toString(cap), Long.toString(now + holdTtlMillis),
                PREFIX + "session:"));
    }

    @Override
    public void commitSessionPlace(String keyId, String holdId, String sessionId) {
        run(() -> redis.eval(COMMIT_PLACE, ScriptOutputType.INTEGER, new String[] {placesKey(keyId)}, holdId, sessionId));
    }

    @Override
    public void releaseSessionPlace(String keyId, String holdId) {
        run(() -> redis.zrem(placesKey(keyId), holdId));
    }

    // ---- replicas ----

    @Override
    public void replicaAlive(long ttlMillis) {
        run(() -> redis.set(replicaKey(replicaId), Long.toString(nowMillis()), SetArgs.Builder.px(ttlMillis)));
    }

    @Override
    public boolean isReplicaAlive(String replicaId) {
        return call(() -> redis.exists(replicaKey(replicaId))) == 1;
    }

    @Override
    public synchronized boolean lostData() {
        epochChanged();
        boolean report = writeBackPending;
        writeBackPending = false;
        return report;
    }

    @Override
    public boolean rebuilding() {
        synchronized (this) {
            if (lostSeen && nowMillis() - lostSeenAtMillis < rebuildWindowMillis) {
                return true;
            }
        }
        return epochChanged();
    }

    /** Asks the store for its epoch; true (once per loss) when it changed: the loss is noted with its time. */
    private synchronized boolean epochChanged() {
        String now = call(() -> redis.get(EPOCH));
        if (now != null && now.equals(epoch)) {
            return false;
        }
        if (now == null) {
            run(() -> redis.set(EPOCH, UUID.randomUUID().toString(), SetArgs.Builder.nx()));
            now = call(() -> redis.get(EPOCH));
        }
        epoch = now;
        lostSeen = true;
        lostSeenAtMillis = nowMillis();
        writeBackPending = true;
        return true;
    }

    @Override
    public void close() {
        try {
            pubSub.close();
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown();
        }
    }
}
