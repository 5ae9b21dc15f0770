package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.signaling.support.RedisPerClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis fleet state against a real redis-server, as two replicas (two clients) see it; time is injected. */
class RedisFleetStateTest {

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    final AtomicLong millis = new AtomicLong(1_000_000);
    RedisFleetState a;
    RedisFleetState b;

    @BeforeEach
    void connect() {
        a = new RedisFleetState(redis.uri(), millis::get);
        b = new RedisFleetState(redis.uri(), millis::get);
    }

    @AfterEach
    void disconnect() {
        for (String id : List.of("s1", "s2")) {
            a.streamer(id).ifPresent(r -> a.removeStreamerIf(id, r.heartbeatAtMillis()));
        }
        a.close();
        b.close();
    }

    StreamerRecord streamer(String id, int max, String registration) {
        return new StreamerRecord(id, "node-" + id, "127.0.0.1:5007", "10.0.0.1:50061", "/dev/shm/" + id, max,
                StreamerState.SERVING, 0, millis.get(), registration, a.replicaId());
    }

    SessionRecord session(String id, String streamer) {
        return new SessionRecord(id, streamer, "10.0.0.1:50061", "/dev/shm/" + streamer,
                Session.newBuilder().setSessionId(id).setAvatar("ada").setStreamerId(streamer).build(),
                SessionState.SESSION_STATE_NEW, "key1", "cred1");
    }

    @Test
    void aStreamerRecordIsSeenByEveryReplicaAndOnlyItsRegistrationKeepsItAlive() {
        a.putStreamer(streamer("s1", 4, "reg-1"));
        StreamerRecord seen = b.streamer("s1").orElseThrow();
        assertEquals(streamer("s1", 4, "reg-1"), seen);
        millis.addAndGet(1000);
        assertTrue(b.heartbeat("s1", "reg-1", millis.get(), StreamerState.DRAINING, 0.5));
        assertFalse(b.heartbeat("s1", "reg-old", millis.get(), StreamerState.SERVING, 0), "another registration's heartbeat");
        StreamerRecord after = a.streamer("s1").orElseThrow();
        assertEquals(StreamerState.DRAINING, after.state());
        assertEquals(0.5, after.load());
        assertEquals(millis.get(), after.heartbeatAtMillis());

        // Two replicas notice the lapse: exactly one removes it; one holding a stale heartbeat loses.
        a.putSession(session("sess-on-s1", "s1"));
        assertFalse(a.removeStreamerIf("s1", seen.heartbeatAtMillis()), "a heartbeat arrived since");
        assertTrue(b.removeStreamerIf("s1", after.heartbeatAtMillis()));
        assertFalse(a.removeStreamerIf("s1", after.heartbeatAtMillis()));
        assertTrue(a.streamers().isEmpty());
        // The winner never served the session A made: it must still find it, to fail it.
        assertEquals(List.of("sess-on-s1"), b.sessionsOn("s1").stream().map(SessionRecord::sessionId).toList());
        assertTrue(b.removeSession("sess-on-s1"));
        assertEquals(0, a.slotsUsed("s1"), "removing the session emptied the slots");
    }

    @Test
    void concurrentReservationsThroughTwoReplicasNeverOverfillAStreamer() throws Exception {
        a.putStreamer(streamer("s1", 10, "reg-1"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RedisFleetState replica = i % 2 == 0 ? a : b;
            String sessionId = "sess-" + i;
            results.add(pool.submit(() -> {
                go.await();
                return replica.reserve("s1", sessionId, 0.8, 3000);
            }));
        }
        go.countDown();
        int taken = 0;
        for (Future<Boolean> result : results) {
            taken += result.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(10, taken);
        assertEquals(10, b.slotsUsed("s1"));
        b.release("s1", "sess-0");
        b.release("s1", "sess-1");
        assertEquals(10 - (results.get(0).get() ? 1 : 0) - (results.get(1).get() ? 1 : 0), a.slotsUsed("s1"));
    }

    @Test
    void reservationRefusesDrainingOverloadedAndSilentStreamers() {
        a.putStreamer(streamer("s1", 4, "reg-1"));
        assertTrue(a.reserve("s1", "x1", 0.8, 3000));
        assertTrue(a.reserve("s1", "x1", 0.8, 3000), "the same session's slot again is no second slot");
        assertEquals(1, a.slotsUsed("s1"));
        a.heartbeat("s1", "reg-1", millis.get(), StreamerState.SERVING, 0.81);
        assertFalse(a.reserve("s1", "x2", 0.8, 3000), "over the threshold");
        a.heartbeat("s1", "reg-1", millis.get(), StreamerState.DRAINING, 0.1);
        assertFalse(a.reserve("s1", "x2", 0.8, 3000), "draining");
        a.heartbeat("s1", "reg-1", millis.get(), StreamerState.SERVING, 0.1);
        millis.addAndGet(3001);
        assertFalse(a.reserve("s1", "x2", 0.8, 3000), "its heartbeat is older than the TTL");
        assertFalse(a.reserve("nobody", "x2", 0.8, 3000));
    }

    @Test
    void maxSessionsAloneCapsSlotsAGivenBackSlotIsFreeAtOnceAndTheThresholdIsOnCpu() {
        a.putStreamer(streamer("s1", 3, "reg-1")); // its heartbeat says CPU 0
        for (String id : List.of("x1", "x2", "x3")) {
            assertTrue(b.reserve("s1", id, 0.5, 3000), id + ": --max-sessions 3 means 3, whatever the threshold");
        }
        assertFalse(a.reserve("s1", "x4", 0.5, 3000), "full");
        b.release("s1", "x3");
        assertTrue(a.reserve("s1", "x4", 0.5, 3000), "the slot given back is usable at once, with no heartbeat between");
        assertTrue(b.heartbeat("s1", "reg-1", millis.get(), StreamerState.SERVING, 0.7));
        b.release("s1", "x4");
        assertFalse(a.reserve("s1", "x5", 0.5, 3000), "the reported CPU, 0.7, is over the threshold");
        List.of("x1", "x2").forEach(id -> a.release("s1", id)); // the other tests start with no slots held
    }

    @Test
    void sessionsAreSharedRemovedOnceAndHoldTheirSlot() {
        a.putStreamer(streamer("s1", 4, "reg-1"));
        a.putSession(session("sess-1", "s1"));
        SessionRecord seen = b.session("sess-1").orElseThrow();
        assertEquals("ada", seen.snapshot().getAvatar());
        assertEquals("key1", seen.ownerKeyId());
        assertEquals(1, b.slotsUsed("s1"));
        b.setSessionState("sess-1", SessionState.SESSION_STATE_CONNECTED);
        assertEquals(SessionState.SESSION_STATE_CONNECTED, a.session("sess-1").orElseThrow().state());
        assertEquals(List.of("sess-1"), a.sessionsOn("s1").stream().map(SessionRecord::sessionId).toList());

        assertEquals(1, a.nextUtteranceId("sess-1"));
        assertEquals(2, b.nextUtteranceId("sess-1"), "utterance ids are unique across replicas");
        assertEquals(2, a.lastUtteranceId("sess-1"));
        a.attended("sess-1", 1234);
        assertEquals(1234, b.attendedAt("sess-1"));

        assertTrue(b.removeSession("sess-1"));
        assertFalse(a.removeSession("sess-1"), "only one replica cleans up");
        assertEquals(0, a.slotsUsed("s1"));
        b.setSessionState("sess-1", SessionState.SESSION_STATE_CONNECTED);
        a.attended("sess-1", 1);
        assertTrue(a.session("sess-1").isEmpty(), "late writes do not bring a removed session back");
    }

    @Test
    void eventsReachTheOtherReplicasNotTheSender() throws Exception {
        LinkedBlockingQueue<SessionEvent> atA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<SessionEvent> atB = new LinkedBlockingQueue<>();
        a.subscribe(atA::add);
        b.subscribe(atB::add);
        SessionEvent event = SessionEvent.newBuilder().setSessionId("sess-9").setTimestampUs(42).build();
        a.publish(event);
        assertEquals(event, atB.poll(5, TimeUnit.SECONDS));
        assertTrue(atA.isEmpty());
    }

    @Test
    void replicasAreAliveWhileTheyKeepSayingSo() {
        a.replicaAlive(60_000);
        assertTrue(b.isReplicaAlive(a.replicaId()));
        assertFalse(a.isReplicaAlive(b.replicaId()));
    }

    @Test
    void afterRedisRestartsEmptyTheReplicasReconnectAndEachLearnsOnceThatTheDataIsGone() throws Exception {
        a.putStreamer(streamer("s1", 4, "reg-1"));
        assertFalse(a.lostData());
        assertFalse(b.lostData());
        LinkedBlockingQueue<SessionEvent> atB = new LinkedBlockingQueue<>();
        b.subscribe(atB::add);

        redis.kill();
        redis.start();
        boolean aLost = whenReconnected(a::lostData);
        assertTrue(aLost);
        assertFalse(a.lostData(), "once");
        assertTrue(whenReconnected(b::lostData), "every replica learns it");
        assertTrue(a.streamers().isEmpty());

        // Pub/sub is resubscribed by itself.
        SessionEvent event = SessionEvent.newBuilder().setSessionId("after-restart").build();
        SessionEvent got = null;
        for (int i = 0; i < 100 && got == null; i++) {
            a.publish(event);
            got = atB.poll(100, TimeUnit.MILLISECONDS);
        }
        assertEquals(event, got);
    }

    @Test
    void eventsPublishedWhileRedisIsDownReachTheOtherReplicasInOrderOnceItIsBack() throws Exception {
        LinkedBlockingQueue<SessionEvent> atB = new LinkedBlockingQueue<>();
        b.subscribe(atB::add);
        assertEquals(0, a.flushEvents()); // healthy: A notes that two replicas listen
        List<SessionEvent> sent = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            sent.add(SessionEvent.newBuilder().setSessionId("sess-down").setTimestampUs(i).build());
        }

        redis.kill();
        for (SessionEvent event : sent.subList(0, 3)) {
            a.publish(event); // kept, not thrown away
        }
        assertEquals(3, a.eventBacklog().orElseThrow().size());
        assertEquals(0, a.flushEvents(), "nothing can go while Redis is down");
        redis.start();

        // The fleet clock stands still, so only B's resubscription (Lettuce's own, on reconnect) lets them go.
        int flushed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (flushed < 3 && System.nanoTime() < deadline) {
            flushed += a.flushEvents();
            Thread.sleep(50);
        }
        assertEquals(3, flushed, "published once Redis and B were back");
        a.publish(sent.get(3));
        List<SessionEvent> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SessionEvent event = atB.poll(5, TimeUnit.SECONDS);
            if (event != null) {
                got.add(event);
            }
        }
        assertEquals(sent, got, "every event, in order, the later one after them");
        assertEquals(0, a.eventBacklog().orElseThrow().droppedFull() + a.eventBacklog().orElseThrow().droppedExpired());
    }

    @Test
    void aSessionWhoseHolderIsGoneIsAnOrphanClaimedByExactlyOneReplica() {
        a.putStreamer(streamer("s1", 4, "reg-1"));
        a.putSession(session("sess-o", "s1")); // A holds it (it wrote it first)
        b.putSession(session("sess-o", "s1")); // a later write (an adoption) does not take it over
        assertEquals(Map.of("sess-o", a.replicaId()), b.orphanedSessions(), "A never said it is alive");
        b.replicaAlive(5_000);
        b.putSession(session("sess-p", "s1"));
        assertFalse(a.orphanedSessions().containsKey("sess-p"), "its holder B is alive: not an orphan");
        assertFalse(b.orphanedSessions().containsKey("sess-p"), "nor for B itself");

        RedisFleetState c = new RedisFleetState(redis.uri(), millis::get);
        try {
            assertTrue(b.claimSession("sess-o", a.replicaId()));
            assertFalse(c.claimSession("sess-o", a.replicaId()), "exactly one claim wins");
            assertTrue(c.orphanedSessions().isEmpty(), "held by B (alive) now");
            b.unclaimSession("sess-o"); // B could not follow through: an orphan again, for anyone
            assertEquals(Map.of("sess-o", ""), c.orphanedSessions());
            assertTrue(c.claimSession("sess-o", ""));
            assertTrue(c.removeSession("sess-o"));
            assertTrue(b.removeSession("sess-p"));
            assertTrue(c.orphanedSessions().isEmpty(), "removed sessions are no orphans");
        } finally {
            c.close();
        }
    }

    /** Calls until the client has reconnected (Lettuce's backoff); until then each call says UNAVAILABLE at once. */
    static <T> T whenReconnected(java.util.function.Supplier<T> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return call.get();
            } catch (io.grpc.StatusRuntimeException e) {
                assertEquals(io.grpc.Status.Code.UNAVAILABLE, e.getStatus().getCode(), "told, not hung");
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
