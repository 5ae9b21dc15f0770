package io.facecast.streamer.registration;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoadMeterTest {
    final AtomicLong now = new AtomicLong();
    double cpu;
    final LoadMeter meter = new LoadMeter(() -> cpu, now::get);

    @Test
    void theLoadIsTheCpuAloneClampedToOne() {
        cpu = 0;
        meter.sample();
        assertEquals(0f, meter.load(), 1e-6, "sessions are signaling's to count, not the heartbeat's");
        cpu = 1.7; // a reading above one machine's worth counts as full
        now.addAndGet(100_000_000_000L);
        float load = meter.sample();
        assertEquals(1f, load, 1e-3);
        org.junit.jupiter.api.Assertions.assertTrue(load <= 1f, "never above full: " + load);
    }

    @Test
    void cpuIsAMovingAverageWithATenSecondTimeConstant() {
        cpu = 0.1;
        assertEquals(0.1f, meter.sample(), 1e-6, "the first reading primes the average");
        cpu = 0.9;
        now.addAndGet(1_000_000_000L); // one busy second moves it by 1 - e^(-1/10) of the step
        assertEquals(0.1 + 0.8 * (1 - Math.exp(-0.1)), meter.sample(), 1e-6);
        for (int i = 0; i < 60; i++) { // a minute at 90 %: the average gets there
            now.addAndGet(1_000_000_000L);
            meter.sample();
        }
        assertEquals(0.9, meter.cpuAverage(), 0.01);
        assertEquals(0.9f, meter.load(), 0.01f);
    }

    @Test
    void anUnavailableCpuReadingLeavesTheAverageAlone() {
        cpu = 0.4;
        meter.sample();
        cpu = -1;
        now.addAndGet(5_000_000_000L);
        assertEquals(0.4f, meter.sample(), 1e-6);
        cpu = Double.NaN;
        assertEquals(0.4f, meter.sample(), 1e-6);
    }
}
