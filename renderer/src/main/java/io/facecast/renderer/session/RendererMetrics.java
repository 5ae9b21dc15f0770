package io.facecast.renderer.session;

import io.facecast.ops.Metrics;
import io.facecast.ops.UtteranceLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The renderer's meters, per voice backend (freetts, espeak, http, upload — a bounded set): TTS latency per sentence,
 * media seconds written and wall seconds spent rendering (render speed = the ratio of their rates), utterances by
 * outcome, and the per-utterance stages this process sees, measured from its speak call:
 * accepted (queued), first sentence synthesized, first frame on the bus.
 */
public final class RendererMetrics {
    static final int ACCEPTED = 0, FIRST_SENTENCE = 1, FIRST_FRAME_ON_BUS = 2;
    static final String[] STAGES = {"received_to_accepted", "received_to_first_sentence", "received_to_first_frame_on_bus"};
    /** Meters that go nowhere (a registry with no children). Declared after STAGES, which it needs. */
    public static final RendererMetrics NONE = new RendererMetrics(new CompositeMeterRegistry());

    private final MeterRegistry registry;
    final UtteranceLog stages;
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();

    /** Meters of one voice backend, registered once. */
    static final class Backend {
        final Timer ttsSentence;
        final Counter mediaSeconds;
        final Counter renderSeconds;
        final Counter written, cancelled, failed;

        Backend(MeterRegistry r, String name) {
            ttsSentence = Metrics.latency(r, "facecast.renderer.tts.sentence",
                    "Time to synthesize one sentence, per voice backend", "backend", name);
            mediaSeconds = Counter.builder("facecast.renderer.media").baseUnit("seconds").tag("backend", name)
                    .description("Media (audio) seconds written to the bus; render speed = rate(media) / rate(render)")
                    .register(r);
            renderSeconds = Counter.builder("facecast.renderer.render").baseUnit("seconds").tag("backend", name)
                    .description("Wall seconds render threads spent on utterances").register(r);
            written = outcome(r, name, "written");
            cancelled = outcome(r, name, "cancelled");
            failed = outcome(r, name, "failed");
        }

        private static Counter outcome(MeterRegistry r, String backend, String outcome) {
            return Counter.builder("facecast.renderer.utterances").tag("backend", backend).tag("outcome", outcome)
                    .description("Utterances finished, by voice backend and outcome").register(r);
        }
    }

    public RendererMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.stages = new UtteranceLog(registry, "renderer", STAGES);
        for (String b : new String[] {"freetts", "espeak", "http", "upload"}) {
            backend(b);
        }
    }

    /** Gauges read from the sessions at scrape time. */
    public RendererMetrics bind(RenderSessions sessions) {
        Gauge.builder("facecast.renderer.sessions", sessions, RenderSessions::openSessions)
                .description("Sessions open on this renderer").register(registry);
        return this;
    }

    /** The backend label of a voice: a bounded set, never the voice name itself. */
    static String backendOf(String voice) {
        if (voice.startsWith("espeak:")) {
            return "espeak";
        }
        if (voice.startsWith("http:")) {
            return "http";
        }
        return "freetts";
    }

    Backend backend(String name) {
        return backends.computeIfAbsent(name, n -> new Backend(registry, n));
    }

    UtteranceTrace trace(String sessionId, long utteranceId, String backend, long receivedNanos) {
        return new UtteranceTrace(this, backend(backend), sessionId, utteranceId, receivedNanos);
    }
}
