package io.facecast.ops;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One Prometheus registry per process, and the conventions every Facecast meter follows (see package-info): names
 * {@code facecast.<process>.<what>} that Micrometer exposes in Prometheus form ({@code _seconds}, {@code _bytes},
 * {@code _total}), latencies as histograms with the fixed buckets below, labels of bounded cardinality only.
 */
public final class Metrics {
    /** Latency buckets: 1 ms .. 10 s, dense where speech latencies live (100 ms .. 2 s). */
    public static final Duration[] LATENCY_BUCKETS = millis(1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, 750, 1000,
            1500, 2000, 3000, 5000, 10000);
    /** Pacing-error buckets: 0.1 ms .. 100 ms, dense around the 10 ms alert threshold. */
    public static final Duration[] PACING_BUCKETS = micros(100, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000);

    private Metrics() {}

    /** A Prometheus registry with the JVM and process binders bound, every meter tagged {@code process}. */
    public static PrometheusMeterRegistry prometheus(String process) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("process", process);
        // Two JVM binder names that promtool's lint rejects: an abbreviated unit and a "_count" gauge.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.processors") : id;
            }
        });
        bindJvmAndProcess(registry);
        return registry;
    }

    /** Heap and pools, GC pauses, threads, class loading, CPU, uptime, file descriptors, resident memory. */
    @SuppressWarnings("resource") // the GC listener lives as long as the process
    public static void bindJvmAndProcess(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time this process has used").register(registry);
        }
        Gauge.builder("process.resident.memory", Metrics::residentBytes).baseUnit("bytes")
                .description("Resident set size of this process (from /proc/self/statm)").register(registry);
    }

    /** A latency histogram (Prometheus {@code <name>_seconds}); record with {@code record(nanos, NANOSECONDS)}. */
    public static Timer latency(MeterRegistry registry, String name, String help, String... tags) {
        return Timer.builder(name).description(help).tags(tags).serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    /** A histogram of a quantity in the given base unit with explicit bucket bounds. */
    public static DistributionSummary histogram(MeterRegistry registry, String name, String unit, String help,
                                                double[] buckets, String... tags) {
        return DistributionSummary.builder(name).baseUnit(unit).description(help).tags(tags)
                .serviceLevelObjectives(buckets).register(registry);
    }

    private static double residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(fields[1]) * 4096.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // not Linux: the series reads NaN rather than a made-up number
        }
    }

    private static Duration[] millis(long... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofMillis(values[i]);
        }
        return d;
    }

    private static Duration[] micros(long... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(values[i] * 1000);
        }
        return d;
    }
}
