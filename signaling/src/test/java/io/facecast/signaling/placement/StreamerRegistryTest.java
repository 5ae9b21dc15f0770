package io.facecast.signaling.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.signaling.support.ManualNanoTime;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamerRegistryTest {

    private final ManualNanoTime time = new ManualNanoTime();
    private final StreamerRegistry registry = new StreamerRegistry(new LeastLoadedPlacement(), time, Duration.ofSeconds(3));

    private StreamerRegistration streamer(String id, int max) {
        return new StreamerRegistration(id, "127.0.0.1:1", "/tmp/" + id, max, null, time.getAsLong());
    }

    @Test
    void noStreamerIsUnavailable() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, registry::reserve);
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("no streamer is registered", e.getStatus().getDescription());
    }

    @Test
    void reserveTakesEachSlotOnceAndReleaseFreesTheSlot() {
        StreamerRegistration a = streamer("a", 1);
        StreamerRegistration b = streamer("b", 1);
        registry.register(a);
        registry.register(b);
        StreamerRegistration first = registry.reserve("s1", java.util.Set.of());
        StreamerRegistration second = registry.reserve("s2", java.util.Set.of());
        assertEquals(java.util.Set.of("a", "b"), java.util.Set.of(first.streamerId(), second.streamerId()));
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, registry::reserve);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        assertEquals("all 2 streamers are full (2 sessions)", full.getStatus().getDescription());
        registry.release(second, "s2");
        assertSame(second, registry.reserve("s3", java.util.Set.of()));
    }

    @Test
    void drainingOrOverloadedStreamersTakeNoNewSessions() {
        StreamerRegistry withThreshold = new StreamerRegistry(
                new io.facecast.signaling.fleet.MemoryFleetState(() -> time.getAsLong() / 1_000_000),
                new WeightedPlacement(new java.util.Random(7)), time, Duration.ofSeconds(3), 0.8);
        withThreshold.register(streamer("a", 4));
        withThreshold.register(streamer("b", 4));
        assertTrue(withThreshold.heartbeat("a", null, 1, io.facecast.signaling.fleet.StreamerState.DRAINING, 0.1));
        assertTrue(withThreshold.heartbeat("b", null, 1, io.facecast.signaling.fleet.StreamerState.SERVING, 0.9));
        StatusRuntimeException none = assertThrows(StatusRuntimeException.class, withThreshold::reserve);
        assertEquals(Status.Code.UNAVAILABLE, none.getStatus().getCode());
        assertEquals("no streamer takes new sessions now (1 draining, 1 over the load threshold)",
                none.getStatus().getDescription());
        assertTrue(withThreshold.heartbeat("b", null, 1, io.facecast.signaling.fleet.StreamerState.SERVING, 0.8));
        for (int i = 0; i < 4; i++) {
            assertEquals("b", withThreshold.reserve().streamerId(), "at the threshold exactly it still takes sessions");
        }
        assertEquals(Status.Code.RESOURCE_EXHAUSTED,
                assertThrows(StatusRuntimeException.class, withThreshold::reserve).getStatus().getCode());
    }

    @Test
    void aSlotGivenBackIsUsableAtOnceAndAFullStreamerIsFullNotOverloaded() {
        StreamerRegistry withThreshold = new StreamerRegistry(
                new io.facecast.signaling.fleet.MemoryFleetState(() -> time.getAsLong() / 1_000_000),
                new WeightedPlacement(new java.util.Random(7)), time, Duration.ofSeconds(3), 0.8);
        withThreshold.register(streamer("a", 3));
        assertTrue(withThreshold.heartbeat("a", null, 0, io.facecast.signaling.fleet.StreamerState.SERVING, 0.1));
        StreamerRegistration first = withThreshold.reserve("s1", java.util.Set.of());
        withThreshold.reserve("s2", java.util.Set.of());
        withThreshold.reserve("s3", java.util.Set.of()); // --max-sessions 3 means 3: the threshold is on CPU
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, withThreshold::reserve);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode(), full.getStatus().getDescription());
        // No heartbeat between the close and the next create (the streamer's next one is up to a second away).
        withThreshold.release(first, "s1");
        assertEquals("a", withThreshold.reserve("s4", java.util.Set.of()).streamerId());
    }

    @Test
    void concurrentReservationsNeverOverfillAStreamer() throws Exception {
        registry.register(streamer("a", 10));
        registry.register(streamer("b", 5));
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String session = "s" + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    return registry.reserve(session, java.util.Set.of()).streamerId();
                } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode().name();
                }
            }));
        }
        start.countDown();
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (java.util.concurrent.Future<String> result : results) {
            counts.merge(result.get(), 1, Integer::sum);
        }
        pool.shutdown();
        assertEquals(java.util.Map.of("a", 10, "b", 5, "RESOURCE_EXHAUSTED", 25), counts);
        assertEquals(10, registry.fleet().slotsUsed("a"));
        assertEquals(5, registry.fleet().slotsUsed("b"));
    }

    @Test
    void streamerExpiresAfterTheTimeoutWithoutHeartbeats() {
        StreamerRegistration a = streamer("a", 4);
        StreamerRegistration b = streamer("b", 4);
        registry.register(a);
        registry.register(b);

        time.advance(Duration.ofSeconds(2));
        assertTrue(registry.heartbeat("b", 0));
        time.advance(Duration.ofSeconds(1));
        assertTrue(registry.expire().isEmpty(), "exactly at the timeout is not yet dead");

        time.advance(Duration.ofMillis(1));
        assertEquals(List.of(a), registry.expire());
        assertFalse(registry.isCurrent(a));
        assertTrue(registry.isCurrent(b));
        assertFalse(registry.heartbeat("a", 0), "a dead streamer is unknown and must register again");

        time.advance(Duration.ofSeconds(4));
        assertEquals(List.of(b), registry.expire());
        assertThrows(StatusRuntimeException.class, registry::reserve);
    }

    @Test
    void reRegistrationReplacesAndReturnsTheOldOne() {
        StreamerRegistration old = streamer("a", 2);
        registry.register(old);
        registry.reserve("s1", java.util.Set.of());
        StreamerRegistration fresh = streamer("a", 2);
        assertSame(old, registry.register(fresh).orElseThrow());
        assertFalse(registry.isCurrent(old));
        assertTrue(registry.isCurrent(fresh));
        assertSame(fresh, registry.reserve("s2", java.util.Set.of()), "placement uses the new registration");
        assertEquals(2, registry.sessionsOn(fresh), "slots belong to the streamer: adoption decides what stays");
        registry.release(old, "s1");
        assertEquals(1, registry.sessionsOn(fresh));
    }

    @Test
    void heartbeatOfUnknownStreamerIsRejected() {
        assertFalse(registry.heartbeat("ghost", 0));
    }
}
