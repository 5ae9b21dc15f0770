package io.facecast.ops;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UtteranceLogTest {
    @Test
    void recordsEachKnownStageAndWritesOneJsonLine() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UtteranceLog stages = new UtteranceLog(registry, "signaling", "a_to_b", "a_to_c");
        long[] nanos = {12_345_678, -1};
        stages.finish("s\"1", 7, "spoken", nanos);
        Timer ab = registry.get(UtteranceLog.METRIC).tag("stage", "a_to_b").timer();
        Timer ac = registry.get(UtteranceLog.METRIC).tag("stage", "a_to_c").timer();
        assertEquals(1, ab.count());
        assertEquals(12.345678, ab.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(0, ac.count());
        assertEquals("{\"event\":\"utterance\",\"process\":\"signaling\",\"session_id\":\"s\\\"1\",\"utterance_id\":7,"
                + "\"outcome\":\"spoken\",\"stages_ms\":{\"a_to_b\":12.35}}", stages.json("s\"1", 7, "spoken", nanos));
    }
}
