package io.facecast.signaling.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeastLoadedPlacementTest {

    private final LeastLoadedPlacement policy = new LeastLoadedPlacement();

    @Test
    void picksTheStreamerWithFewestSessions() {
        assertEquals(Optional.of("b"), policy.choose(List.of(
                new StreamerLoad("a", 3, 10), new StreamerLoad("b", 1, 10), new StreamerLoad("c", 2, 10))));
    }

    @Test
    void skipsFullStreamersEvenIfTheyHaveFewerSessions() {
        assertEquals(Optional.of("big"), policy.choose(List.of(
                new StreamerLoad("tiny", 1, 1), new StreamerLoad("big", 5, 8))));
    }

    @Test
    void breaksTiesByMostFreeSlotsThenById() {
        assertEquals(Optional.of("roomy"), policy.choose(List.of(
                new StreamerLoad("small", 0, 2), new StreamerLoad("roomy", 0, 8))));
        assertEquals(Optional.of("a"), policy.choose(List.of(new StreamerLoad("b", 0, 4), new StreamerLoad("a", 0, 4))));
    }

    @Test
    void emptyWhenNoneHasRoom() {
        assertTrue(policy.choose(List.of(new StreamerLoad("a", 2, 2), new StreamerLoad("b", 1, 1))).isEmpty());
        assertTrue(policy.choose(List.of()).isEmpty());
    }
}
