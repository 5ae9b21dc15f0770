package io.facecast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;

/** What page-check.mjs must have seen for the demo page to count as working. */
final class PageAssertions {
    private PageAssertions() {}

    static void assertPageWorked(JsonObject r, LocalStack stack) {
        if (!r.get("ok").getAsBoolean()) {
            fail("page check failed at " + r.get("steps") + ": " + r.get("failure") + "\nconsole: " + r.get("console")
                    + "\n" + stack.logs());
        }
        assertEquals(0, r.getAsJsonArray("errors").size(), "page errors: " + r.get("errors"));
        double fps = r.get("framesDecodedFps").getAsDouble();
        assertTrue(fps >= 25, "framesDecoded grew at " + fps + " fps");
        double samples = r.get("audioSamplesPerSecond").getAsDouble();
        assertTrue(samples > 40_000, "audio track delivered " + samples + " samples/s");

        JsonObject idle = r.getAsJsonObject("idle");
        JsonObject speech = r.getAsJsonObject("speech");
        JsonObject after = r.getAsJsonObject("afterInterrupt");
        double idleRms = idle.get("audioRmsMean").getAsDouble();
        double speechRms = speech.get("audioRmsMean").getAsDouble();
        double afterRms = after.get("audioRmsMean").getAsDouble();
        assertTrue(speechRms > 0.01, "speech RMS " + speechRms);
        assertTrue(idleRms < 0.002 && afterRms < 0.002, "silence RMS idle " + idleRms + ", after interrupt " + afterRms);
        double idleMotion = idle.get("motionMean").getAsDouble();
        double speechMotion = speech.get("motionMean").getAsDouble();
        double afterMotion = after.get("motionMean").getAsDouble();
        assertTrue(speechMotion > 1.0, "mouth motion while speaking " + speechMotion);
        assertTrue(idleMotion < 0.3 && afterMotion < 0.3, "mouth motion idle " + idleMotion + ", after interrupt " + afterMotion);
        assertTrue(r.get("subtitleDuringSpeech").getAsString().startsWith("Hello there."),
                "subtitle while speaking: '" + r.get("subtitleDuringSpeech") + "'");
        assertEquals("", r.get("subtitleAfterInterrupt").getAsString().strip(), "subtitle after interrupt");
    }
}
