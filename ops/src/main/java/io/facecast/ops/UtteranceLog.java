package io.facecast.ops;

import io.facecast.ops.log.SessionLogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Per-utterance stage timings as a process saw them: each stage goes into the histogram
 * {@code facecast_utterance_stage_seconds{stage=...}} and, once the utterance's last stage here is known, all of them
 * into one JSON log line on the logger {@code facecast.utterance}, with the session id in the MDC
 * ({@code session_id}) and in the line. A stage's name says what it spans ({@code speak_to_speech_started}); each
 * process measures from the earliest moment it knows about (signaling: the Speak request; renderer: its speak call;
 * streamer: the record's append to the bus, whose {@code System.nanoTime} stamp is comparable on one host).
 */
public final class UtteranceLog {
    private static final Logger log = LoggerFactory.getLogger("facecast.utterance");
    public static final String METRIC = "facecast.utterance.stage";

    private final String process;
    private final String[] stages;
    private final Timer[] timers;

    /** Registers one histogram series per stage up front. */
    public UtteranceLog(MeterRegistry registry, String process, String... stages) {
        this.process = process;
        this.stages = stages.clone();
        this.timers = new Timer[stages.length];
        for (int i = 0; i < stages.length; i++) {
            timers[i] = Metrics.latency(registry, METRIC,
                    "Per-utterance latency of each stage, measured from the start the stage's name gives", "stage",
                    stages[i]);
        }
    }

    public int stages() {
        return stages.length;
    }

    /** Records stage {@code index} (nanoseconds; negative values, i.e. unknown, are skipped). */
    public void record(int index, long nanos) {
        if (nanos >= 0) {
            timers[index].record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Records every known stage (negative = not reached) and writes the utterance's line.
     *
     * @param outcome e.g. "spoken", "interrupted", "failed"
     */
    public void finish(String sessionId, long utteranceId, String outcome, long[] nanos) {
        for (int i = 0; i < nanos.length; i++) {
            record(i, nanos[i]);
        }
        writeLine(sessionId, utteranceId, outcome, nanos);
    }

    /** Writes the utterance's line only (stages already recorded one by one). */
    public void writeLine(String sessionId, long utteranceId, String outcome, long[] nanos) {
        if (!log.isInfoEnabled()) {
            return;
        }
        try (SessionLogContext ctx = SessionLogContext.of(sessionId)) {
            log.info(json(sessionId, utteranceId, outcome, nanos));
        }
    }

    /** The line: {"event":"utterance","process":..,"session_id":..,"utterance_id":..,"outcome":..,"stages_ms":{..}}. */
    public String json(String sessionId, long utteranceId, String outcome, long[] nanos) {
        StringBuilder sb = new StringBuilder(200).append("{\"event\":\"utterance\",\"process\":\"").append(process)
                .append("\",\"session_id\":\"");
        escape(sb, sessionId);
        sb.append("\",\"utterance_id\":").append(Long.toUnsignedString(utteranceId)).append(",\"outcome\":\"");
        escape(sb, outcome);
        sb.append("\",\"stages_ms\":{");
        boolean first = true;
        for (int i = 0; i < nanos.length && i < stages.length; i++) {
            if (nanos[i] < 0) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(stages[i]).append("\":").append(Math.round(nanos[i] / 1e4) / 100.0);
        }
        return sb.append("}}").toString();
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }
}
