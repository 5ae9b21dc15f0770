package io.facecast.streamer;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.onvoid.webrtc.PeerConnectionFactory;
import io.facecast.bus.BusTailer;
import io.facecast.bus.PlaybackFeedback;
import io.facecast.rtc.PeerFactories;
import io.facecast.rtc.RealTimeThread;
import io.facecast.rtc.SenderOptions;
import io.facecast.ops.Metrics;
import io.facecast.streamer.events.StreamerEvents;
import io.facecast.streamer.metrics.StreamerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.facecast.streamer.ingest.BusIngest;
import io.facecast.streamer.schedule.SchedulerConfig;
import io.facecast.streamer.schedule.StreamerScheduler;
import io.facecast.streamer.schedule.UnknownSessionException;
import io.facecast.streamer.session.StreamerSessions;
import io.facecast.ops.lifecycle.ProcessLifecycle;
import io.facecast.streamer.registration.LoadMeter;

import java.util.function.LongSupplier;

/** Wires one streamer process: bus reader -> scheduler -> WebRTC peers, plus the control plane around them. */
public final class StreamerModule extends AbstractModule {
    private final StreamerConfig config;
    private final SchedulerConfig schedulerConfig;
    private final SenderOptions senderOptions;

    private final LongSupplier nanoTime;

    /** The process as its flags say (the scheduler's tunables come from the record). */
    public StreamerModule(StreamerConfig config) {
        this(config, config.scheduler());
    }

    public StreamerModule(StreamerConfig config, SchedulerConfig schedulerConfig) {
        this(config.withScheduler(schedulerConfig), System::nanoTime);
    }

    /** @param nanoTime the process's monotonic clock (tests inject their own) */
    public StreamerModule(StreamerConfig config, LongSupplier nanoTime) {
        this.schedulerConfig = config.scheduler();
        this.config = config;
        this.nanoTime = nanoTime;
        this.senderOptions = config.sender();
    }

    @Override
    protected void configure() {
        bind(StreamerConfig.class).toInstance(config);
        bind(StreamerEvents.class).in(Singleton.class);
        bind(LongSupplier.class).annotatedWith(NanoTime.class).toInstance(nanoTime);
    }

    @Provides
    @Singleton
    ProcessLifecycle lifecycle() {
        return new ProcessLifecycle("streamer " + config.id(), config.drainTimeout(), nanoTime);
    }

    @Provides
    @Singleton
    LoadMeter load() {
        return new LoadMeter(LoadMeter.processCpu(), nanoTime);
    }

    @Provides
    @Singleton
    StreamerScheduler scheduler(StreamerMetrics metrics) {
        int priority = schedulerConfig.realTimePriority();
        return StreamerScheduler.realTime(schedulerConfig).meters(metrics)
                .onThreadStart(() -> {
                    if (priority > 0) {
                        metrics.pacingThreadRealTime(priority, RealTimeThread.enter(priority));
                    }
                });
    }

    /** The process's one meter registry (Prometheus, served at /metrics on --ops-port); tests override it. */
    @Provides
    @Singleton
    MeterRegistry meterRegistry() {
        return Metrics.prometheus("streamer");
    }

    @Provides
    @Singleton
    StreamerMetrics streamerMetrics(MeterRegistry registry) {
        return new StreamerMetrics(registry);
    }

    @Provides
    @Singleton
    BusIngest ingest(StreamerScheduler scheduler, StreamerMetrics metrics) {
        // One reader per session on its own queue, paused while the session holds the look-ahead (2 s) unplayed.
        return new BusIngest(session -> BusTailer.ofSession(config.busPath(), session),
                record -> {
                    metrics.recordRead(record);
                    scheduler.accept(record);
                }, session -> {
                    try {
                        return scheduler.hasRoom(session);
                    } catch (UnknownSessionException notOpenYet) {
                        return true;
                    }
                }, nanoTime, new PlaybackFeedback.Writer(PlaybackFeedback.dirFor(config.busPath())), session -> {
                    try {
                        return scheduler.bufferedMillis(session);
                    } catch (UnknownSessionException notOpenYet) {
                        return 0;
                    }
                }).sweepingStale(config.busPath());
    }

    @Provides
    @Singleton
    PeerConnectionFactory peerFactory() {
        return PeerFactories.forSending();
    }

    @Provides
    @Singleton
    StreamerSessions sessions(StreamerScheduler scheduler, BusIngest ingest, PeerConnectionFactory factory,
                              StreamerEvents events, StreamerMetrics metrics) {
        StreamerSessions sessions = new StreamerSessions(config.id(), config.maxSessions(), scheduler, ingest, factory,
                senderOptions, events).observePeers(metrics::peerListener);
        metrics.bind(config.busPath(), sessions::size, () -> sessions.inspect().getPeerConnections());
        return sessions;
    }
}
