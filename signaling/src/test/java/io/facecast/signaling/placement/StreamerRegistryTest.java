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
    void reserveSpreadsLoadAndReleaseFreesTheSlot() {
        StreamerRegistration a = streamer("a", 1);
        StreamerRegistration b = streamer("b", 1);
        registry.register(a);
        registry.register(b);
        StreamerRegistration first = registry.reserve();
        StreamerRegistration second = registry.reserve();
        assertEquals(List.of("a", "b"), List.of(first.streamerId(), second.streamerId()));
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, registry::reserve);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        assertEquals("all 2 streamers are full (2 sessions)", full.getStatus().getDescription());
        registry.release(second);
        assertSame(b, registry.reserve());
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
        StreamerRegistration old = streamer("a", 1);
        registry.register(old);
        registry.reserve();
        StreamerRegistration fresh = streamer("a", 1);
        assertSame(old, registry.register(fresh).orElseThrow());
        assertFalse(registry.isCurrent(old));
        assertSame(fresh, registry.reserve(), "the new registration starts empty");
        registry.release(old); // harmless on the replaced registration
        assertEquals(1, registry.sessionsOn(fresh));
    }

    @Test
    void heartbeatOfUnknownStreamerIsRejected() {
        assertFalse(registry.heartbeat("ghost", 0));
    }
}
