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
 *                                           owner_key, owner_cred, utt (utterance counter), attended (ms)
 * facecast:replica:ID                 STRING (TTL) a replica's liveness
 * facecast:epoch                      STRING a random value; gone or changed: Redis lost its data
 * channel facecast:events             "replica-id base64(facecast.v1.SessionEvent)" per event
 * </pre>
 * Every check-then-write is one Lua script (heartbeat, reserve, the removals), so replicas never race on it.
 * Streamer hashes expire {@link #RECORD_TTL} after their last heartbeat so nothing outlives a fleet that went away.
 * Lettuce reconnects with bounded exponential backoff (100 ms doubling to 2 s) and resubscribes the channel by
 * itself; while Redis is down calls fail at once with UNAVAILABLE instead of queueing.
 */
public final class RedisFleetState implements FleetState {

    private static final Logger log = LoggerFactory.getLogger(RedisFleetState.class);
    static final String PREFIX = "facecast:";
    static final String STREAMERS = PREFIX + "streamers";
    static final String EPOCH = PREFIX + "epoch";
    static final String EVENTS = PREFIX + "events";
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

    /**
     * Connects (and subscribes to the events channel) at once.
     *
     * @param uri    redis://HOST:PORT
     * @param millis fleet time (wall clock: replicas on several hosts compare heartbeats in it)
     * @throws IllegalArgumentException when Redis cannot be reached now
     */
    public RedisFleetState(String uri, LongSupplier millis) {
        this.millis = millis;
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
                new String[] {sessionKey(sessionId)}, PREFIX + "streamer:", sessionId));
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

    @Override
    public void publish(SessionEvent event) {
        String message = replicaId + " " + Base64.getEncoder().encodeToString(event.toByteArray());
        run(() -> redis.publish(EVENTS, message));
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
        String now = call(() -> redis.get(EPOCH));
        if (now != null && now.equals(epoch)) {
            return false;
        }
        if (now == null) {
            run(() -> redis.set(EPOCH, UUID.randomUUID().toString(), SetArgs.Builder.nx()));
            now = call(() -> redis.get(EPOCH));
        }
        epoch = now;
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
