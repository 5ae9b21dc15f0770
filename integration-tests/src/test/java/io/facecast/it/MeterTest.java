package io.facecast.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shipped lip-sync and latency meter ({@code ./facecast meter}, {@code tools/meter/facecast_meter.py}) run as a
 * user runs it, against the real local stack over WHEP: it asks the session for sync markers, speaks and interrupts
 * through the session's HTTP API, and reports what its standard player (GStreamer webrtcbin, RTCP sender-report
 * lip-sync) presented. On a healthy stack the A/V offset is within 40 ms; on a streamer whose audio is deliberately
 * 80 ms late ({@code --test-audio-delay-ms 80}) the meter must see +80 ms (within 15 ms): it measures, it does not
 * just print zero.
 */
class MeterTest {
    private static final Path LOGS = Path.of("target", "it-logs", "meter");

    @Test
    void onTheLocalStackTheMeterSeesLipSyncWithin40MsAndTheFirstFrameWithin2s() throws Exception {
        GstReceiver.require();
        try (LocalStack stack = LocalStack.start("meter", 1, 4, Duration.ofSeconds(5))) {
            String whep = BrowserSupport.pageUrl(stack) + "whep";
            // The stack's very first peer connection pays for the streamer's WebRTC start-up (seconds on a loaded
            // 2-core machine); a deployment being checked is warm. The cold figure is printed, not asserted.
            JsonObject cold = meter(stack, "cold", whep, "--seconds", "3", "--no-speak");
            JsonObject r = meter(stack, "synced", whep, "--seconds", "18", "--png", LOGS.resolve("synced.png").toAbsolutePath().toString());
            JsonObject m = r.getAsJsonObject("markers");
            System.out.printf("[figures] meter on the local stack: offset p50 %s p95 %s max|%s| ms over %s markers %s;"
                            + " first frame %s ms (cold stack: %s ms); fps %s; speak->speech %s; interrupt->silence %s;"
                            + " audio %s%n", m.get("p50_ms"), m.get("p95_ms"), m.get("max_abs_ms"), m.get("count"),
                    m.get("offsets_ms"), r.get("first_frame_ms"), cold.get("first_frame_ms"), r.get("fps"),
                    r.get("speak_to_first_speech_ms"), r.get("interrupt_to_silence_ms"), r.get("audio"));
            assertTrue(r.get("facecast").getAsBoolean(), "the meter found the session API: " + r);
            assertTrue(m.get("count").getAsInt() >= 5, "markers found: " + m);
            assertTrue(Math.abs(m.get("p50_ms").getAsDouble()) <= 40, "offset p50: " + m);
            assertTrue(m.get("max_abs_ms").getAsDouble() <= 40, "every marker within 40 ms: " + m);
            double firstFrame = r.get("first_frame_ms").getAsDouble();
            assertTrue(firstFrame > 0 && firstFrame <= 2000, "first frame " + firstFrame + " ms after the POST");
            assertTrue(r.get("fps").getAsDouble() >= 20, "delivered fps " + r.get("fps"));
            double mediaPerWall = r.getAsJsonObject("audio").get("media_per_wall_second").getAsDouble();
            assertTrue(mediaPerWall > 0.9 && mediaPerWall < 1.1, "audio media per wall second " + mediaPerWall);
            JsonObject speak = r.getAsJsonObject("speak_to_first_speech_ms");
            double speech = speak.get("audio_presented").getAsDouble();
            assertTrue(speech > 0 && speech < 5000, "speak -> first speech presented " + speech + " ms");
            JsonObject cut = r.getAsJsonObject("interrupt_to_silence_ms");
            assertTrue(cut.get("cut_speech").getAsBoolean(), "the interrupt cut speech on air: " + cut);
            // The last speech presented comes at most the player's hold (~220 ms) after the request, plus margin.
            assertTrue(cut.get("presented").getAsDouble() < 1000, "speech still presented long after the interrupt: " + cut);
            assertEquals(0, r.getAsJsonArray("errors").size(), "meter errors: " + r.get("errors"));
            byte[] png = Files.readAllBytes(LOGS.resolve("synced.png"));
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG timeline");
        }
    }

    @Test
    void aStreamWhoseAudioIsDelayedBy80MsMeasuresPlus80() throws Exception {
        GstReceiver.require();
        try (LocalStack stack = LocalStack.start("meter-delay", 1, 4, Duration.ofSeconds(5),
                List.of("--http-port", "0"), List.of("--test-audio-delay-ms", "80"))) {
            String whep = BrowserSupport.pageUrl(stack) + "whep";
            JsonObject r = meter(stack, "delayed", whep, "--seconds", "16");
            JsonObject m = r.getAsJsonObject("markers");
            System.out.printf("[figures] meter, audio delayed 80 ms by the streamer: offset p50 %s p95 %s max|%s| ms"
                    + " over %s markers %s%n", m.get("p50_ms"), m.get("p95_ms"), m.get("max_abs_ms"), m.get("count"),
                    m.get("offsets_ms"));
            assertTrue(m.get("count").getAsInt() >= 5, "markers found: " + m);
            JsonArray offsets = m.getAsJsonArray("offsets_ms");
            assertTrue(Math.abs(m.get("p50_ms").getAsDouble() - 80) <= 15, "offset p50 should be +80 +- 15 ms: " + m);
            assertTrue(offsets.size() == m.get("count").getAsInt());
            // Three markers in four within the tolerance, not p95: with 8 markers p95 is the worst one, and on a loaded
            // 2-core machine the player itself once presented one marker 240 ms late (seen in a fresh-Debian run).
            long close = 0;
            for (var offset : offsets) {
                close += Math.abs(offset.getAsDouble() - 80) <= 15 ? 1 : 0;
            }
            assertTrue(close * 4 >= offsets.size() * 3L, "at least 3 of 4 offsets should be +80 +- 15 ms: " + m);
        }
    }

    /**
     * Runs the meter as a user does (with --json, the stack's API key in FACECAST_API_KEY) and returns its report; its
     * stderr goes to a log.
     */
    static JsonObject meter(LocalStack stack, String name, String whep, String... args)
            throws IOException, InterruptedException {
        Files.createDirectories(LOGS);
        List<String> cmd = new ArrayList<>(List.of(GstReceiver.PYTHON.toString(), GstReceiver.SCRIPT.toString(),
                "--whep", whep, "--json"));
        cmd.addAll(List.of(args));
        Path err = LOGS.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(err.toFile());
        builder.environment().put("FACECAST_API_KEY", stack.apiKey);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the meter did not finish; it said: " + Files.readString(err));
        }
        Files.writeString(LOGS.resolve(name + ".json"), out);
        assertEquals(0, p.exitValue(), "meter exit status; stdout " + out + "; stderr " + Files.readString(err));
        String last = out.lines().reduce((a, b) -> b).orElseThrow(() -> new AssertionError("the meter printed nothing"));
        return JsonParser.parseString(last).getAsJsonObject();
    }
}
