package io.facecast.ops.lifecycle;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessLifecycleTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final ProcessLifecycle lifecycle = new ProcessLifecycle("test", Duration.ofMinutes(30), now::get);

    @Test
    void readyOnlyWhileServingAndItsConditionHolds() {
        AtomicBoolean registered = new AtomicBoolean(false);
        lifecycle.readyWhen(registered::get);
        assertFalse(lifecycle.ready(), "starting");
        assertFalse(lifecycle.accepting(), "starting");
        lifecycle.serving();
        assertFalse(lifecycle.ready(), "serving but not registered");
        assertTrue(lifecycle.accepting());
        registered.set(true);
        assertTrue(lifecycle.ready());
        lifecycle.requestDrain("test");
        assertFalse(lifecycle.ready(), "draining");
        assertFalse(lifecycle.accepting(), "draining");
        lifecycle.stopping();
        assertFalse(lifecycle.ready(), "stopping");
        lifecycle.serving();
        assertEquals(ProcessLifecycle.Phase.STOPPING, lifecycle.phase(), "no way back from stopping");
    }

    @Test
    void drainIsOverWhenTheLastSessionClosesNotBefore() {
        lifecycle.serving();
        assertFalse(lifecycle.drainOver(0), "not draining: nothing is over");
        assertEquals(ProcessLifecycle.DrainRequest.STARTED, lifecycle.requestDrain("SIGTERM"));
        assertFalse(lifecycle.drainOver(2));
        now.addAndGet(Duration.ofMinutes(29).toNanos());
        assertFalse(lifecycle.drainOver(1), "29 min of a 30 min drain");
        assertTrue(lifecycle.drainOver(0), "last session closed");
        assertEquals(Duration.ofMinutes(29).toNanos(), lifecycle.drainingNanos());
    }

    @Test
    void drainTimesOutWithSessionsStillLive() {
        lifecycle.serving();
        lifecycle.requestDrain("SIGTERM");
        now.addAndGet(Duration.ofMinutes(30).toNanos() - 1);
        assertFalse(lifecycle.timedOut());
        assertFalse(lifecycle.drainOver(3));
        now.addAndGet(1);
        assertTrue(lifecycle.timedOut());
        assertTrue(lifecycle.drainOver(3));
    }

    @Test
    void aSecondRequestForcesAndLaterOnesChangeNothing() {
        lifecycle.serving();
        assertEquals(ProcessLifecycle.DrainRequest.STARTED, lifecycle.requestDrain("SIGTERM"));
        assertFalse(lifecycle.forced());
        assertEquals(ProcessLifecycle.DrainRequest.FORCED, lifecycle.requestDrain("SIGTERM"));
        assertTrue(lifecycle.forced());
        assertTrue(lifecycle.drainOver(5), "forced: over at once with sessions live");
        lifecycle.stopping();
        assertEquals(ProcessLifecycle.DrainRequest.ALREADY_STOPPING, lifecycle.requestDrain("SIGTERM"));
    }

    @Test
    void aZeroTimeoutDrainsAtOnce() {
        ProcessLifecycle quick = new ProcessLifecycle("test", Duration.ZERO, now::get);
        quick.serving();
        quick.requestDrain("test");
        assertTrue(quick.drainOver(4));
    }

    @Test
    void awaitDrainedReturnsTheSessionsLeftWhenTimedOut() throws InterruptedException {
        lifecycle.serving();
        lifecycle.requestDrain("test");
        // Each poll of the session count advances the injected clock by 10 minutes: the third poll is past 30 min.
        int left = lifecycle.awaitDrained(() -> {
            now.addAndGet(Duration.ofMinutes(10).toNanos());
            return 2;
        }, 0);
        assertEquals(2, left);
        assertTrue(lifecycle.timedOut());
    }

    @Test
    void durationsAsPeopleTypeThem() {
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofHours(1), Durations.parse("PT1H"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
        assertTrue(e.getMessage().contains("30m"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5s"));
    }
}
