package io.facecast.streamer.metrics;

import io.facecast.bus.BusMessage;
import io.facecast.ops.Metrics;
import io.facecast.ops.UtteranceLog;
import io.facecast.rtc.PeerListener;
import io.facecast.rtc.PeerState;
import io.facecast.rtc.SenderStats;
import io.facecast.streamer.schedule.PushMeters;
import io.facecast.streamer.schedule.SessionStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The streamer's meters. Hot paths (every record read, every chunk and frame pushed) record into meters registered
 * in the constructor and allocate nothing; once per utterance the stage line is handed to a background thread so
 * the scheduler never writes a log. A periodic {@link #sample} (off the scheduler thread) turns per-session state
 * into bounded series: look-ahead buffered as a histogram over sessions, the lowest delivered fps, and the outbound
 * RTP counters webrtc-java exposes, summed over sessions as deltas.
 */
public final class StreamerMetrics implements PushMeters {
    private static final Logger log = LoggerFactory.getLogger(StreamerMetrics.class);
    static final String[] STAGES = {"bus_append_to_first_read", "bus_append_to_first_push"};

    private final MeterRegistry registry;
    private final Timer pacingAudio;
    private final Timer pacingVideo;
    private final Timer pushAudio;
    private final Timer pushVideo;
    /** When a late push was last logged (scheduler thread only). */
    private long lastLateLog = Long.MIN_VALUE / 2;
    private final Counter skipped;
    private final Counter repeated;
    private final Counter stalls;
    private final Counter stalledFrames;
    private final Counter audioChunks;
    private final Counter videoFrames;
    private final Timer busRead;
    private final Timer interruptToSilence;
    private final DistributionSummary lookAhead;
    private final DistributionSummary sessionFps;
    private final Counter iceFailures;
    private final Map<PeerState, Counter> connectionStates = new EnumMap<>(PeerState.class);
    private final UtteranceLog stages;
    private final Map<String, Long> firstRead = new ConcurrentHashMap<>();
    private final AtomicReference<Double> minFps = new AtomicReference<>(Double.NaN);
    private final AtomicInteger pacingRealTime = new AtomicInteger();
    private final Rtp rtp;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "streamer-metrics");
        t.setDaemon(true);
        return t;
    });

    public StreamerMetrics(MeterRegistry registry) {
        this.registry = registry;
        pacingAudio = pacing(registry, "audio");
        pacingVideo = pacing(registry, "video");
        pushAudio = pushDuration(registry, "audio");
        pushVideo = pushDuration(registry, "video");
        skipped = Counter.builder("facecast.streamer.video.frames.skipped")
                .description("Video frames dropped because the scheduler was more than a frame late").register(registry);
        repeated = Counter.builder("facecast.streamer.video.frames.repeated")
                .description("Video frames pushed as the previous picture again, without composing or copying")
                .register(registry);
        stalls = Counter.builder("facecast.streamer.stalls")
                .description("Renderer late: a speaking segment held (audio underrun, silence instead of speech)")
                .register(registry);
        stalledFrames = Counter.builder("facecast.streamer.stalled.frames")
                .description("Frames held because the renderer was late").register(registry);
        audioChunks = Counter.builder("facecast.streamer.audio.chunks")
                .description("10 ms audio chunks pushed to peers").register(registry);
        videoFrames = Counter.builder("facecast.streamer.video.frames")
                .description("Video frames pushed to peers").register(registry);
        busRead = Metrics.latency(registry, "facecast.streamer.bus.read",
                "Bus record appended by the renderer -> read by this streamer");
        interruptToSilence = Metrics.latency(registry, "facecast.streamer.interrupt.silence",
                "Interrupt reached the scheduler -> first silent audio chunk pushed to the wire");
        lookAhead = Metrics.histogram(registry, "facecast.streamer.lookahead.buffered", "seconds",
                "Media buffered beyond the play position, one sample per session every stats period",
                new double[] {0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5});
        sessionFps = Metrics.histogram(registry, "facecast.streamer.session.fps", "fps",
                "Delivered video fps of each session over the last second, one sample per session every stats period",
                new double[] {5, 10, 15, 20, 24, 25, 28, 29, 30, 50, 60});
        Gauge.builder("facecast.streamer.session.fps.min", minFps, AtomicReference::get)
                .description("Lowest delivered fps over sessions open at the last stats period (NaN: none)")
                .register(registry);
        Gauge.builder("facecast.streamer.pacing.realtime.priority", pacingRealTime, AtomicInteger::get)
                .description("SCHED_FIFO priority the pacing thread runs at; 0: an ordinary thread (see the log for why)")
                .register(registry);
        iceFailures = Counter.builder("facecast.webrtc.ice.failures")
                .description("Peer connections that failed (ICE/DTLS)").register(registry);
        for (PeerState state : PeerState.values()) {
            connectionStates.put(state, Counter.builder("facecast.webrtc.connection.states")
                    .tag("state", state.name().toLowerCase())
                    .description("Peer connection state changes, by the state entered").register(registry));
        }
        stages = new UtteranceLog(registry, "streamer", STAGES);
        rtp = new Rtp(registry);
    }

    private static Timer pacing(MeterRegistry registry, String media) {
        return Timer.builder("facecast.streamer.pacing.error").tag("media", media)
                .description("Push time minus due time of audio chunks and video frames as pushed")
                .serviceLevelObjectives(Metrics.PACING_BUCKETS).register(registry);
    }

    private static Timer pushDuration(MeterRegistry registry, String media) {
        return Timer.builder("facecast.streamer.push.duration").tag("media", media)
                .description("Time the scheduler thread spent in one push into the native WebRTC source")
                .serviceLevelObjectives(Metrics.PACING_BUCKETS).register(registry);
    }

    /**
     * Gauges on this streamer's queue directory and its sessions, read at scrape time. Strong references: Micrometer
     * holds a gauge's object weakly, and these suppliers are held by nothing else.
     */
    public StreamerMetrics bind(Path busDir, java.util.function.IntSupplier sessions,
                                java.util.function.IntSupplier peers) {
        Gauge.builder("facecast.streamer.bus.directory", busDir, d -> directory(d)[0]).baseUnit("bytes")
                .strongReference(true)
                .description("Apparent size of this streamer's session queues (Chronicle cycle files are sparse)")
                .register(registry);
        Gauge.builder("facecast.streamer.bus.directory.files", busDir, d -> directory(d)[1])
                .strongReference(true)
                .description("Files in this streamer's session queues").register(registry);
        Gauge.builder("facecast.streamer.sessions", sessions, s -> s.getAsInt())
                .strongReference(true)
                .description("Sessions open on this streamer").register(registry);
        Gauge.builder("facecast.streamer.peers", peers, s -> s.getAsInt())
                .strongReference(true)
                .description("Open peer connections").register(registry);
        return this;
    }

    private static double[] directory(Path dir) {
        long bytes = 0, files = 0;
        try (Stream<Path> paths = Files.walk(dir, 2)) { // <streamer-dir>/<session-id>/<cycle file>
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(p)) {
                    bytes += Files.size(p);
                    files++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {bytes, files};
    }

    // ------------------------------------------------------------------ bus reader thread

    /** Every record routed to the scheduler: its age since the renderer appended it (same host, same clock). */
    public void recordRead(BusMessage r) {
        if (r.producedNanos() == 0) {
            return;
        }
        long age = System.nanoTime() - r.producedNanos();
        busRead.record(age, TimeUnit.NANOSECONDS);
        if (r instanceof BusMessage.Video v && v.frame() == 0) {
            stages.record(0, age);
            firstRead.put(r.sessionId() + '/' + r.utteranceId(), age);
        }
    }

    // ------------------------------------------------------------------ scheduler thread

    /**
     * What the pacing thread got when it asked for {@code SCHED_FIFO} at {@code priority}, reported from that thread.
     *
     * @param refused null when it runs there; otherwise why not (it stays an ordinary thread)
     */
    public void pacingThreadRealTime(int priority, String refused) {
        pacingRealTime.set(refused == null ? priority : 0);
        if (refused == null) {
            background.execute(() -> log.info("the pacing thread runs SCHED_FIFO at real-time priority {}, ahead of"
                    + " every ordinary thread (docs/performance.md, rule 3)", priority));
        } else {
            background.execute(() -> log.warn("the pacing thread stays an ordinary thread: {}", refused));
        }
    }

    @Override
    public void audioPushed(long errorNanos) {
        pacingAudio.record(errorNanos, TimeUnit.NANOSECONDS);
        audioChunks.increment();
        lateLog("audio", errorNanos);
    }

    @Override
    public void videoPushed(long errorNanos) {
        pacingVideo.record(errorNanos, TimeUnit.NANOSECONDS);
        videoFrames.increment();
        lateLog("video", errorNanos);
    }

    @Override
    public void pushTook(boolean video, long nanos) {
        (video ? pushVideo : pushAudio).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A push this late is a gap a listener hears; logged (wall time) so it can be lined up with the GC log. */
    static final long LATE_LOG_NANOS = 20_000_000L;

    /** At most one line a second, written by the background thread: the scheduler thread never does I/O. */
    private void lateLog(String media, long errorNanos) {
        if (errorNanos < LATE_LOG_NANOS) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastLateLog < 1_000_000_000L) {
            return;
        }
        lastLateLog = now;
        long lateMs = errorNanos / 1_000_000;
        java.time.Instant due = java.time.Instant.ofEpochMilli(System.currentTimeMillis() - lateMs);
        background.execute(() -> log.warn("scheduler pushed {} {} ms late (it was due at {})", media, lateMs, due));
    }

    @Override
    public void videoSkipped() {
        skipped.increment();
    }

    @Override
    public void videoRepeated() {
        repeated.increment();
    }

    @Override
    public void stallStarted() {
        stalls.increment();
    }

    @Override
    public void frameStalled() {
        stalledFrames.increment();
    }

    @Override
    public void firstFramePushed(String sessionId, long utteranceId, long busToPushNanos) {
        stages.record(1, busToPushNanos);
        background.execute(() -> {
            Long read = firstRead.remove(sessionId + '/' + utteranceId);
            stages.writeLine(sessionId, utteranceId, "speech_started",
                    new long[] {read == null ? -1 : read, busToPushNanos});
        });
    }

    @Override
    public void silencedAfterInterrupt(long nanos) {
        interruptToSilence.record(nanos, TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ WebRTC event threads

    /** Counts the peer's connection states (and failures) on the way to the session's own listener. */
    public PeerListener peerListener(PeerListener inner) {
        return new PeerListener() {
            @Override
            public void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
                inner.onLocalCandidate(sdpMid, sdpMLineIndex, candidate);
            }

            @Override
            public void onConnectionState(PeerState state) {
                connectionStates.get(state).increment();
                if (state == PeerState.FAILED) {
                    iceFailures.increment();
                }
                inner.onConnectionState(state);
            }
        };
    }

    // ------------------------------------------------------------------ periodic sample (stats thread)

    /** One session's state for {@link #sample}: its pacing stats and, once negotiated, its sender's RTP stats. */
    public record SessionSample(String sessionId, SessionStats stats, SenderStats rtp) {}

    /** Looks at every session once (called every stats period, never on the scheduler thread). */
    public void sample(Iterable<SessionSample> sessions) {
        double min = Double.NaN;
        Set<String> seen = new HashSet<>();
        for (SessionSample s : sessions) {
            seen.add(s.sessionId());
            lookAhead.record(s.stats().bufferedMillis() / 1000.0);
            if (s.stats().mediaTimeMs() >= 2000) { // a full second of frames behind it
                sessionFps.record(s.stats().deliveredFps());
                min = Double.isNaN(min) ? s.stats().deliveredFps() : Math.min(min, s.stats().deliveredFps());
            }
            if (s.rtp() != null) {
                rtp.add(s.sessionId(), s.rtp());
            }
        }
        minFps.set(min);
        rtp.forgetAllBut(seen);
        firstRead.keySet().removeIf(k -> !seen.contains(k.substring(0, k.lastIndexOf('/'))));
    }

    public void close() {
        background.shutdown();
    }

    /** Outbound RTP counters summed over sessions: each sample adds what grew since the session's last one. */
    private static final class Rtp {
        private final Map<String, long[]> last = new HashMap<>();
        private final Counter[] counters;
        private final Counter encodeSeconds;
        private final Map<String, double[]> lastEncode = new HashMap<>();

        Rtp(MeterRegistry r) {
            counters = new Counter[] {
                    Counter.builder("facecast.webrtc.outbound.frames.encoded").description("Video frames encoded").register(r),
                    Counter.builder("facecast.webrtc.outbound.frames.sent").description("Video frames sent").register(r),
                    Counter.builder("facecast.webrtc.outbound").baseUnit("bytes").tag("media", "video")
                            .description("RTP payload bytes sent").register(r),
                    Counter.builder("facecast.webrtc.outbound").baseUnit("bytes").tag("media", "audio")
                            .description("RTP payload bytes sent").register(r),
                    Counter.builder("facecast.webrtc.outbound.packets").tag("media", "video")
                            .description("RTP packets sent").register(r),
                    Counter.builder("facecast.webrtc.outbound.packets").tag("media", "audio")
                            .description("RTP packets sent").register(r),
                    Counter.builder("facecast.webrtc.outbound.retransmitted.packets")
                            .description("Video RTP packets retransmitted").register(r),
                    Counter.builder("facecast.webrtc.outbound.feedback").tag("type", "nack")
                            .description("RTCP feedback received from receivers (NACK, PLI, FIR)").register(r),
                    Counter.builder("facecast.webrtc.outbound.feedback").tag("type", "pli")
                            .description("RTCP feedback received from receivers (NACK, PLI, FIR)").register(r),
                    Counter.builder("facecast.webrtc.outbound.feedback").tag("type", "fir")
                            .description("RTCP feedback received from receivers (NACK, PLI, FIR)").register(r)};
            encodeSeconds = Counter.builder("facecast.webrtc.encode").baseUnit("seconds")
                    .description("Time the video encoder spent; per frame = rate(encode) / rate(frames_encoded)")
                    .register(r);
        }

        void add(String session, SenderStats s) {
            long[] now = {s.videoFramesEncoded(), s.videoFramesSent(), s.videoBytesSent(), s.audioBytesSent(),
                    s.videoPacketsSent(), s.audioPacketsSent(), s.videoRetransmittedPackets(), s.videoNackCount(),
                    s.videoPliCount(), s.videoFirCount()};
            long[] before = last.put(session, now);
            for (int i = 0; i < now.length; i++) {
                long delta = now[i] - (before == null ? 0 : before[i]);
                if (delta > 0) {
                    counters[i].increment(delta);
                }
            }
            double[] encBefore = lastEncode.put(session, new double[] {s.videoTotalEncodeSeconds()});
            double encDelta = s.videoTotalEncodeSeconds() - (encBefore == null ? 0 : encBefore[0]);
            if (encDelta > 0) {
                encodeSeconds.increment(encDelta);
            }
        }

        void forgetAllBut(Set<String> sessions) {
            last.keySet().retainAll(sessions);
            lastEncode.keySet().retainAll(sessions);
        }
    }
}
