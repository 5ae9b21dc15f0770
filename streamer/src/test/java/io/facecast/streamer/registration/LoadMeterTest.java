package io.facecast.streamer.registration;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoadMeterTest {
    final AtomicInteger sessions = new AtomicInteger();
    final AtomicLong now = new AtomicLong();
    double cpu;
    final LoadMeter meter = new LoadMeter(sessions::get, 8, () -> cpu, now::get);

    @Test
    void sessionsAloneGiveTheirShareOfMaxSessions() {
        cpu = 0;
        meter.sample();
        sessions.set(2);
        assertEquals(0.25f, meter.load(), 1e-6);
        sessions.set(8);
        assertEquals(1f, meter.load(), 1e-6);
        sessions.set(12); // more than max (never placed, but never above 1 either)
        assertEquals(1f, meter.load(), 1e-6);
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
        sessions.set(2);
        assertEquals(0.9f, meter.load(), 0.01f, "the larger of CPU and sessions");
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
