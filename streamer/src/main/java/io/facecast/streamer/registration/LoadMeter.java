package io.facecast.streamer.registration;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The load a streamer reports with each heartbeat, 0..1: the moving average of the process's CPU.
 *
 * <p>Signaling holds it against its placement threshold, and weighs streamers by
 * {@code 1 - max(load, reserved / max-sessions)} with its own count of the slots reserved: sessions alone miss what a session costs (resolution, codec, the
 * machine's other tenants), CPU alone lags a burst of creates (a new session costs little CPU until its peer
 * connects). The session count is signaling's, not ours, because a count sent with a heartbeat is up to a period old:
 * a slot freed just after a heartbeat that reported the streamer full would stay unusable until the next one. The CPU
 * is the process's share of the whole machine ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuLoad}: 1.0 = every core busy with this
 * process), smoothed exponentially with a 10 s time constant so one busy second does not flip placement. A negative
 * reading (not available on this platform) leaves the average unchanged.
 */
public final class LoadMeter {
    public static final double CPU_TIME_CONSTANT_SECONDS = 10;

    private final DoubleSupplier processCpu;
    private final LongSupplier nanoTime;
    private boolean primed;
    private double cpuAverage;
    private long lastNanos;

    public LoadMeter(DoubleSupplier processCpu, LongSupplier nanoTime) {
        this.processCpu = processCpu;
        this.nanoTime = nanoTime;
    }

    /** This JVM's CPU load (0..1 of the machine), or -1 where the platform does not tell. */
    public static DoubleSupplier processCpu() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun::getProcessCpuLoad;
        }
        return () -> -1;
    }

    /** Takes a CPU reading, folds it into the average and returns the load now. */
    public synchronized float sample() {
        double cpu = processCpu.getAsDouble();
        long now = nanoTime.getAsLong();
        if (cpu >= 0 && !Double.isNaN(cpu)) {
            cpu = Math.min(1, cpu);
            if (!primed) {
                cpuAverage = cpu;
                primed = true;
            } else {
                double dt = Math.max(0, now - lastNanos) / 1e9;
                double alpha = 1 - Math.exp(-dt / CPU_TIME_CONSTANT_SECONDS);
                cpuAverage += alpha * (cpu - cpuAverage);
            }
        }
        lastNanos = now;
        return load();
    }

    /** The load from the last reading, without taking a new one. */
    public synchronized float load() {
        return (float) Math.max(0, Math.min(1, cpuAverage));
    }

    public synchronized double cpuAverage() {
        return cpuAverage;
    }
}
