package io.facecast.signaling.metrics;

import io.facecast.api.v1.SessionState;
import io.facecast.ops.Metrics;
import io.facecast.ops.UtteranceLog;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.session.SessionManager;
import io.facecast.signaling.session.SessionMetrics;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The signaling process's meters: sessions by state, placement decisions and refusals, Speak → speech started
 * (the first speech frame pushed to the wire, as the streamer reports it), Interrupt → confirmed by the streamer,
 * registered streamers and heartbeat age, event watchers. Per-utterance timings also go to one JSON line each
 * ({@link UtteranceLog}).
 */
public final class SignalingMetrics implements SessionMetrics {
    /** Speaks waiting for their speech-started event; beyond this many the oldest are forgotten (no leak). */
    static final int MAX_PENDING = 10_000;
    static final String[] STAGES = {"speak_to_renderer_accepted", "speak_to_speech_started"};

    private final MeterRegistry registry;
    private final Counter placed;
    private final Counter refusedFull;
    private final Counter refusedUnavailable;
    private final Timer speakToFirstFrame;
    private final Timer interrupt;
    private final Counter slowConsumersDropped;
    private final AtomicLong eventQueueDepth = new AtomicLong();
    private final UtteranceLog stages;
    private final Map<String, long[]> pending = new ConcurrentHashMap<>();

    public SignalingMetrics(MeterRegistry registry) {
        this.registry = registry;
        placed = Counter.builder("facecast.signaling.placements").tag("outcome", "placed")
                .description("Placement decisions: placed on a streamer, or refused (full / unavailable)").register(registry);
        refusedFull = Counter.builder("facecast.signaling.placements").tag("outcome", "refused_full")
                .description("Placement decisions: placed on a streamer, or refused (full / unavailable)").register(registry);
        refusedUnavailable = Counter.builder("facecast.signaling.placements").tag("outcome", "refused_unavailable")
                .description("Placement decisions: placed on a streamer, or refused (full / unavailable)").register(registry);
        speakToFirstFrame = Metrics.latency(registry, "facecast.speak.first.frame",
                "Speak request received at signaling -> first speech frame pushed to the wire (speech started event)");
        interrupt = Metrics.latency(registry, "facecast.interrupt.silence",
                "Interrupt request received at signaling -> streamer confirmed the cut (audio silent from its next 10 ms chunk)");
        slowConsumersDropped = Counter.builder("facecast.signaling.event.consumers.dropped")
                .description("Event watchers dropped because they did not keep up").register(registry);
        Gauge.builder("facecast.signaling.event.queue.depth", eventQueueDepth, AtomicLong::get)
                .description("Events queued for watchers, not yet written").register(registry);
        stages = new UtteranceLog(registry, "signaling", STAGES);
    }

    /** Gauges read from the session manager and the streamer registry at scrape time. */
    public SignalingMetrics bind(SessionManager sessions, StreamerRegistry streamers) {
        for (SessionState state : new SessionState[] {SessionState.SESSION_STATE_NEW,
                SessionState.SESSION_STATE_CONNECTING, SessionState.SESSION_STATE_CONNECTED}) {
            String name = state.name().substring("SESSION_STATE_".length()).toLowerCase();
            Gauge.builder("facecast.signaling.sessions", sessions, s -> s.countByState().getOrDefault(state, 0))
                    .tag("state", name).description("Live sessions by state").register(registry);
        }
        Gauge.builder("facecast.signaling.event.watchers", sessions, SessionManager::watcherTotal)
                .description("Open event streams (WatchEvents, server-sent events)").register(registry);
        Gauge.builder("facecast.signaling.streamers", streamers, StreamerRegistry::registeredCount)
                .description("Registered streamers").register(registry);
        Gauge.builder("facecast.signaling.streamer.heartbeat.age.max", streamers,
                        StreamerRegistry::oldestHeartbeatAgeSeconds).baseUnit("seconds")
                .description("Time since the stalest registered streamer's last heartbeat").register(registry);
        streamers.fleet().eventBacklog().ifPresent(backlog -> {
            Gauge.builder("facecast.signaling.fleet.events.buffered", backlog,
                            io.facecast.signaling.fleet.EventBacklog::size)
                    .description("Events kept for the other replicas while the shared registry is unreachable")
                    .register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("facecast.signaling.fleet.events.dropped", backlog,
                            io.facecast.signaling.fleet.EventBacklog::droppedFull).tag("reason", "full")
                    .description("Events for the other replicas dropped while the shared registry was unreachable: "
                            + "the backlog was full (the oldest went) or an event waited past the age bound")
                    .register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("facecast.signaling.fleet.events.dropped", backlog,
                            io.facecast.signaling.fleet.EventBacklog::droppedExpired).tag("reason", "expired")
                    .description("Events for the other replicas dropped while the shared registry was unreachable: "
                            + "the backlog was full (the oldest went) or an event waited past the age bound")
                    .register(registry);
        });
        return this;
    }

    @Override
    public void eventsQueued(int delta) {
        eventQueueDepth.addAndGet(delta);
    }

    @Override
    public void slowConsumerDropped() {
        slowConsumersDropped.increment();
    }

    @Override
    public void placed() {
        placed.increment();
    }

    @Override
    public void placementRefused(Status.Code code) {
        (code == Status.Code.RESOURCE_EXHAUSTED ? refusedFull : refusedUnavailable).increment();
    }

    @Override
    public void speakAccepted(String sessionId, long utteranceId, long receivedNanos, long acceptedNanos) {
        if (pending.size() >= MAX_PENDING) {
            pending.clear(); // events lost for that many utterances: drop their timings rather than grow
        }
        pending.put(key(sessionId, utteranceId), new long[] {receivedNanos, acceptedNanos});
    }

    @Override
    public void speechStarted(String sessionId, long utteranceId, long nowNanos) {
        long[] t = pending.remove(key(sessionId, utteranceId));
        if (t == null) {
            return; // an uploaded-audio utterance, or one spoken before a restart
        }
        long toFirst = nowNanos - t[0];
        speakToFirstFrame.record(toFirst, TimeUnit.NANOSECONDS);
        stages.finish(sessionId, utteranceId, "speech_started", new long[] {t[1] - t[0], toFirst});
    }

    @Override
    public void interruptConfirmed(String sessionId, long nanos) {
        interrupt.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void sessionClosed(String sessionId) {
        String prefix = sessionId + '/';
        pending.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private static String key(String sessionId, long utteranceId) {
        return sessionId + '/' + utteranceId;
    }
}
