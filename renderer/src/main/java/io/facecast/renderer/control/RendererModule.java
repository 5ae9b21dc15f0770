package io.facecast.renderer.control;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.neural.LipSync;
import io.facecast.renderer.playback.PlaybackGates;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.RendererMetrics;
import io.facecast.ops.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.facecast.renderer.session.SegmentObserver;
import io.facecast.renderer.tts.FreeTtsSynthesizer;
import io.facecast.renderer.tts.SpeechSynthesizer;
import io.facecast.renderer.tts.VoiceRouter;
import io.facecast.renderer.tts.espeak.EspeakSynthesizer;
import io.facecast.renderer.tts.http.HttpTtsSettings;
import io.grpc.protobuf.services.HealthStatusManager;
import org.slf4j.LoggerFactory;

import io.facecast.ops.lifecycle.ProcessLifecycle;
import io.facecast.renderer.RendererConfig;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Wiring of the renderer process. */
public final class RendererModule extends AbstractModule {
    private final RendererConfig config;
    private final Path avatarDir;
    private final LipSync lipSync;
    private final HttpTtsSettings httpTts;
    private final Path busRoot;
    private final LongSupplier nanoTime;

    public RendererModule() {
        this(null, LipSync.NONE, HttpTtsSettings.NONE);
    }

    /**
     * @param avatarDir folder of avatar packs read on each session open, or null for the built-in packs only
     * @param lipSync   the mouth source of every session (a loaded neural model, or {@link LipSync#NONE})
     * @param httpTts   the OpenAI-compatible speech endpoint behind "http:&lt;voice&gt;" voices, or NONE
     */
    public RendererModule(Path avatarDir, LipSync lipSync, HttpTtsSettings httpTts) {
        this(avatarDir, lipSync, httpTts, null);
    }

    /** @param busRoot the only directory whose direct children may be queue directories (null: unconfined, tests) */
    public RendererModule(Path avatarDir, LipSync lipSync, HttpTtsSettings httpTts, Path busRoot) {
        this(RendererConfig.of(avatarDir, httpTts, busRoot), lipSync, System::nanoTime);
    }

    /** The process as its flags say. */
    public RendererModule(RendererConfig config, LipSync lipSync) {
        this(config, lipSync, System::nanoTime);
    }

    /** @param nanoTime the process's monotonic clock (tests inject their own) */
    public RendererModule(RendererConfig config, LipSync lipSync, LongSupplier nanoTime) {
        this.config = config;
        this.busRoot = config.busRoot();
        this.avatarDir = config.avatarDir();
        this.lipSync = lipSync;
        this.httpTts = config.httpTts();
        this.nanoTime = nanoTime;
    }

    @Override
    protected void configure() {
        bind(RendererConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    ProcessLifecycle lifecycle() {
        return new ProcessLifecycle(config.id().equals("renderer") ? "renderer" : "renderer " + config.id(),
                config.drainTimeout(), nanoTime);
    }

    @Provides
    @Singleton
    LipSync lipSync() {
        return lipSync;
    }

    @Provides
    @Singleton
    SpeechSynthesizer speechSynthesizer() {
        var http = httpTts.backend();
        http.ifPresent(h -> LoggerFactory.getLogger(RendererModule.class).info("http:<voice> voices via {}", httpTts));
        return new VoiceRouter(new FreeTtsSynthesizer(config.renderThreads()), EspeakSynthesizer.installed(), http);
    }

    @Provides
    @Singleton
    AvatarRegistry avatarRegistry() {
        return AvatarRegistry.withPackFolder(avatarDir);
    }

    @Provides
    @Singleton
    BusAppenders busAppenders() {
        return busRoot == null ? new BusAppenders() : new BusAppenders(busRoot);
    }

    @Provides
    @Singleton
    ExecutorService renderPool() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(config.renderThreads(), r -> {
            Thread t = new Thread(r, "render-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Provides
    @Singleton
    PlaybackGates playbackGates() {
        // Frames are written at most 4 s ahead of what the streamer has played (it reports every 100 ms).
        PlaybackGates gates = new PlaybackGates(PlaybackGates.DEFAULT_LOOK_AHEAD_MILLIS,
                PlaybackGates.DEFAULT_STALE_AFTER_MILLIS, nanoTime);
        gates.start();
        return gates;
    }

    @Provides
    @Singleton
    RenderSessions renderSessions(SpeechSynthesizer tts, AvatarRegistry avatars, BusAppenders buses, ExecutorService pool,
                                  PlaybackGates gates, LipSync lipSync, MeterRegistry registry) {
        return new RenderSessions(tts, avatars, buses, pool, SegmentObserver.NONE, gates, lipSync)
                .observe(new RendererMetrics(registry));
    }

    /** The process's one meter registry (Prometheus, served at /metrics on --ops-port); tests override it. */
    @Provides
    @Singleton
    MeterRegistry meterRegistry() {
        return Metrics.prometheus("renderer");
    }

    @Provides
    @Singleton
    HealthStatusManager health() {
        return new HealthStatusManager();
    }
}
