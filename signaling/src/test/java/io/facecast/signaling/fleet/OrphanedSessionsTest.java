package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.support.FakeStreamerServer;
import io.facecast.signaling.support.RedisServer;
import io.facecast.signaling.support.SignalingHarness;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions whose holding replica died before any other replica loaded them: exactly one surviving replica takes
 * each over; one whose streamer lives is then reaped by the abandonment rule (closed on the streamer and renderer,
 * keys and slot gone), one whose streamer is gone is failed at once; a slot whose create was cut off is freed after
 * the create bound. Real redis-server; replica "death" is a harness
 * closed without its liveness key ever written (the harnesses' periodic pass is off, so a replica is alive in Redis
 * only once its pass ran).
 */
class OrphanedSessionsTest {

    static RedisServer redis;
    static RedisClient raw;
    static StatefulRedisConnection<String, String> rawConnection;
    final AtomicLong millis = new AtomicLong(11_000_000);
    final ApiKey key = ApiKey.generate(new SecureRandom());
    final List<SignalingHarness> replicas = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.startOrSkip();
        raw = RedisClient.create(redis.uri());
        rawConnection = raw.connect();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (raw != null) {
            rawConnection.close();
            raw.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        rawConnection.sync().flushall(); // before the replicas connect: they see one epoch
    }

    @AfterEach
    void stop() {
        replicas.forEach(SignalingHarness::close);
    }

    SignalingHarness replica() throws Exception {
        AuthOptions auth = AuthOptions.withKeys(List.of(key)).withLimits(1000, 1e6, 1_000_000);
        SignalingHarness replica = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
        replicas.add(replica);
        return replica;
    }

    static FleetState fleet(SignalingHarness replica) {
        return replica.get(StreamerRegistry.class).fleet();
    }

    /** Runs each replica's once-a-second pass at the same moment (as two processes would). */
    static void passesTogether(SignalingHarness... all) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(all.length);
        try {
            CyclicBarrier start = new CyclicBarrier(all.length);
            List<Future<Integer>> done = new ArrayList<>();
            for (SignalingHarness replica : all) {
                done.add(pool.submit(() -> {
                    start.await();
                    return replica.reaper().runOnce();
                }));
            }
            for (Future<Integer> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSessionOfADeadReplicaIsTakenOverOnceThenReapedWhenAbandoned() throws Exception {
        SignalingHarness a = replica();
        SignalingHarness b = replica();
        SignalingHarness c = replica();
        FakeStreamerServer s1 = b.addStreamer("s1", 4); // the streamer lives on; its replica B too
        String id = a.facecastAs(key.value()).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        assertTrue(s1.openSessions.contains(id));
        a.close(); // the creating replica dies; nobody else has loaded the session
        replicas.remove(a);

        passesTogether(b, c);
        assertEquals(1, b.sessions().liveSessionCount() + c.sessions().liveSessionCount(),
                "exactly one replica took the session over");
        SignalingHarness holder = b.sessions().liveSessionCount() == 1 ? b : c;
        passesTogether(b, c);
        assertEquals(1, b.sessions().liveSessionCount() + c.sessions().liveSessionCount(), "and nobody else later");
        assertTrue(fleet(b).session(id).isPresent(), "a live streamer's session is not failed for its replica");

        // No watcher, never negotiated: the abandonment rule of its new holder applies from the take-over.
        for (SignalingHarness replica : List.of(b, c)) {
            replica.time.advance(SignalingHarness.GRACE.plus(Duration.ofSeconds(1)));
        }
        millis.addAndGet(SignalingHarness.GRACE.plus(Duration.ofSeconds(1)).toMillis());
        heartbeat(b, "s1"); // keeps s1 alive across the jump of the fleet clock
        passesTogether(b, c);
        assertFalse(s1.openSessions.contains(id), "closed on the streamer");
        assertEquals(1, b.log.matching("s1 CloseSession " + id).size(), "once");
        assertEquals(1, holder.log.matching("renderer CloseSession " + id).size(), "closed on the renderer");
        assertTrue(fleet(b).session(id).isEmpty(), "its record is gone");
        assertEquals(0, fleet(b).slotsUsed("s1"), "its slot is free");
        assertFalse(rawConnection.sync().sismember(RedisFleetState.SESSIONS, id), "and its index entry");
    }

    @Test
    void aSlotWhoseCreateWasCutOffIsFreedAfterTheCreateBound() throws Exception {
        SignalingHarness a = replica();
        SignalingHarness b = replica();
        b.addStreamer("s1", 4);
        // A reserved a slot for a create, then died before it wrote the session's record.
        assertTrue(fleet(a).reserve("s1", "cut-off", 1.0, 5_000));
        a.close();
        replicas.remove(a);

        b.reaper().runOnce();
        assertEquals(1, fleet(b).slotsUsed("s1"), "a create in progress keeps its slot");
        millis.addAndGet(StreamerRegistry.STRANDED_SLOT_MILLIS - 1);
        heartbeat(b, "s1");
        b.reaper().runOnce();
        assertEquals(1, fleet(b).slotsUsed("s1"), "still within the create bound");
        millis.addAndGet(1);
        heartbeat(b, "s1");
        b.reaper().runOnce();
        assertEquals(0, fleet(b).slotsUsed("s1"), "freed");
    }

    static void heartbeat(SignalingHarness replica, String streamerId) {
        replica.registry(streamerId).heartbeat(io.facecast.internal.v1.HeartbeatRequest.newBuilder()
                .setStreamerId(streamerId).setActiveSessions(1)
                .setState(io.facecast.internal.v1.NodeState.NODE_STATE_SERVING).build());
    }

    @Test
    void aSessionWhoseReplicaAndStreamerAreGoneIsFailedOnce() throws Exception {
        SignalingHarness a = replica();
        SignalingHarness b = replica();
        SignalingHarness c = replica();
        a.addStreamer("s1", 4);
        String id = a.facecastAs(key.value()).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        List<SessionEvent> told = new CopyOnWriteArrayList<>();
        RedisFleetState listener = new RedisFleetState(redis.uri(), millis::get);
        try {
            listener.subscribe(told::add);
            a.close();
            replicas.remove(a);
            // The streamer's record went too without failing its sessions (it expired with every replica that
            // knew it, or a create raced the removal): only the orphaned session is left.
            rawConnection.sync().del(RedisFleetState.streamerKey("s1"));
            rawConnection.sync().srem(RedisFleetState.STREAMERS, "s1");

            passesTogether(b, c);
            passesTogether(b, c);
            assertTrue(fleet(b).session(id).isEmpty(), "its record is gone");
            assertEquals(0, fleet(b).slotsUsed("s1"), "its slot is free");
            assertEquals(0, b.sessions().liveSessionCount() + c.sessions().liveSessionCount());
            assertEquals(1, b.log.matching("renderer CloseSession " + id).size()
                    + c.log.matching("renderer CloseSession " + id).size(), "the renderer let go of it once");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (told.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // a duplicate would have come by now
            assertEquals(2, told.size(), "one Error and one FAILED, from one replica: " + told);
            assertEquals("UNAVAILABLE", told.get(0).getError().getCode());
            assertTrue(told.get(0).getError().getMessage().contains("is gone"), told.get(0).getError().getMessage());
            assertEquals(SessionState.SESSION_STATE_FAILED, told.get(1).getStateChanged().getState());
        } finally {
            listener.close();
        }
    }
}
