package io.facecast.signaling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.Session;
import io.facecast.signaling.support.ManualNanoTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TombstonesTest {

    private final ManualNanoTime time = new ManualNanoTime();

    private static Session closed(String id) {
        return Session.newBuilder().setSessionId(id).build();
    }

    @Test
    void forgetsAfterTheTtl() {
        Tombstones tombstones = new Tombstones(time, Duration.ofMinutes(10), 100);
        tombstones.record(closed("a"));
        time.advance(Duration.ofMinutes(10));
        assertTrue(tombstones.find("a").isPresent());
        time.advance(Duration.ofMillis(1));
        assertTrue(tombstones.find("a").isEmpty());
    }

    @Test
    void keepsOnlyTheNewestWhenFull() {
        Tombstones tombstones = new Tombstones(time, Duration.ofMinutes(10), 3);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            tombstones.record(closed(id));
        }
        assertEquals(3, tombstones.size());
        assertTrue(tombstones.find("a").isEmpty());
        assertTrue(tombstones.find("d").isPresent());
    }
}
