package io.facecast.streamer.registration;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The load a streamer reports with each heartbeat, 0..1:
 * {@code max(sessions / max-sessions, moving average of the process's CPU)}.
 *
 * <p>Sessions alone miss what a session costs (resolution, codec, the machine's other tenants); CPU alone lags a burst
 * of creates (a new session costs little CPU until its peer connects). The CPU term is the process's share of the
 * whole machine ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuLoad}: 1.0 = every core busy with this
 * process), smoothed exponentially with a 10 s time constant so one busy second does not flip placement. A negative
 * reading (not available on this platform) leaves the average unchanged.
 */
public final class LoadMeter {
    public static final double CPU_TIME_CONSTANT_SECONDS = 10;

    private final IntSupplier sessions;
    private final int maxSessions;
    private final DoubleSupplier processCpu;
    private final LongSupplier nanoTime;
    private boolean primed;
    private double cpuAverage;
    private long lastNanos;

    public LoadMeter(IntSupplier sessions, int maxSessions, DoubleSupplier processCpu, LongSupplier nanoTime) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1");
        }
        this.sessions = sessions;
        this.maxSessions = maxSessions;
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
        double bySessions = Math.min(1.0, (double) sessions.getAsInt() / maxSessions);
        return (float) Math.max(0, Math.min(1, Math.max(bySessions, cpuAverage)));
    }

    public synchronized double cpuAverage() {
        return cpuAverage;
    }
}
