package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FleetOptionsTest {

    @Test
    void memoryByDefaultRedisByUriAndAThresholdWithinZeroToOne() {
        assertTrue(FleetOptions.memory().inMemory());
        assertEquals(0.8, FleetOptions.memory().placementThreshold());
        assertEquals("redis://10.0.0.5:6379", new FleetOptions("redis://10.0.0.5:6379", 0.7).registry());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FleetOptions("etcd://x", 0.8))
                .getMessage().contains("must be memory or redis://HOST:PORT"));
        assertThrows(IllegalArgumentException.class, () -> new FleetOptions("memory", 0));
        assertThrows(IllegalArgumentException.class, () -> new FleetOptions("memory", 1.5));
        assertThrows(IllegalArgumentException.class, () -> new FleetOptions("memory", Double.NaN));
    }

    @Test
    void anUnreachableRedisIsOneClearSentence() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RedisFleetState("redis://127.0.0.1:1", () -> 0L));
        assertTrue(e.getMessage().startsWith("the fleet registry Redis at 127.0.0.1:1 is not reachable"), e.getMessage());
    }
}
