package io.facecast.streamer.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What an operator reads off /metrics about the pacing thread's scheduling class. */
class StreamerMetricsTest {
    private static double realTimePriority(SimpleMeterRegistry registry) {
        return registry.get("facecast.streamer.pacing.realtime.priority").gauge().value();
    }

    @Test
    void theGaugeShowsThePriorityOnlyWhenTheKernelGrantedIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamerMetrics metrics = new StreamerMetrics(registry);
        assertEquals(0.0, realTimePriority(registry), "not asked yet: an ordinary thread");
        metrics.pacingThreadRealTime(10, null);
        assertEquals(10.0, realTimePriority(registry));
        metrics.pacingThreadRealTime(10, "sched_setscheduler(SCHED_FIFO, 10) was refused");
        assertEquals(0.0, realTimePriority(registry), "refused: it stays ordinary, and the gauge says so");
    }
}
