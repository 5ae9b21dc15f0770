package io.facecast.ops.lifecycle;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessServerTest {
    /** A process whose sessions are a counter; it records what the base asked of it. */
    static final class Node extends ProcessServer {
        final AtomicInteger live;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Node(ProcessLifecycle lifecycle) {
            this(lifecycle, new AtomicInteger());
        }

        private Node(ProcessLifecycle lifecycle, AtomicInteger live) {
            super("node", lifecycle, LoggerFactory.getLogger(ProcessServerTest.class), live::get);
            this.live = live;
        }

        @Override protected void stopTakingSessions() { calls.add("stop taking"); }
        @Override protected String describeDrain(boolean forced) { return (forced ? "forced " : "draining ") + live.get(); }
        @Override protected void shutDown() { calls.add("shut down"); }
    }

    final ProcessLifecycle lifecycle = new ProcessLifecycle("node", Duration.ofMinutes(30), System::nanoTime);

    @Test
    void aDrainWaitsForTheLastSessionThenShutsDownOnce() throws Exception {
        Node node = new Node(lifecycle);
        lifecycle.serving();
        node.live.set(2);
        assertEquals("draining 2", node.drain("SIGTERM"));
        assertEquals(List.of("stop taking"), node.calls, "no new sessions; the live ones play on");
        assertFalse(lifecycle.accepting());
        Thread.sleep(3 * ProcessServer.DRAIN_POLL_MILLIS);
        assertEquals(List.of("stop taking"), node.calls, "not shut down while sessions are live");
        node.live.set(0);
        assertTrue(awaitStopped(node), "the drain thread closed the server once the last session went");
        assertEquals(List.of("stop taking", "shut down"), node.calls);
        assertEquals(ProcessLifecycle.Phase.STOPPING, lifecycle.phase());
        node.close();
        assertEquals("already stopping", node.drain("SIGTERM"));
        assertEquals(List.of("stop taking", "shut down"), node.calls, "close and later drains do nothing more");
    }

    @Test
    void aSecondRequestForcesTheDrain() throws Exception {
        Node node = new Node(lifecycle);
        lifecycle.serving();
        node.live.set(3);
        node.drain("SIGTERM");
        assertEquals("forced 3", node.drain("second SIGTERM"));
        assertTrue(awaitStopped(node), "forced: over with sessions still live");
        assertEquals(List.of("stop taking", "shut down"), node.calls);
    }

    @Test
    void closeWithoutADrainShutsDownOnceAndReleasesWaiters() throws Exception {
        Node node = new Node(lifecycle);
        lifecycle.serving();
        node.close();
        node.close();
        assertTrue(awaitStopped(node));
        assertEquals(List.of("shut down"), node.calls);
    }

    private static boolean awaitStopped(Node node) throws InterruptedException {
        Thread waiter = new Thread(() -> {
            try {
                node.awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        return !waiter.isAlive();
    }
}
