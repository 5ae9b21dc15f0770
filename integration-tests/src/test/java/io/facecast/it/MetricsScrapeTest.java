package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.Recording;
import io.facecast.client.ReceiverSession;
import io.facecast.ops.Promtool;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The three real processes are scraped over HTTP after a session spoke and was interrupted: signaling's /metrics on
 * its HTTP port, the renderer's and streamer's on their ops ports. The key series of issue 11 must exist with sane
 * values, and promtool (Debian package prometheus) must accept each exposition. Prints each stage's cost.
 */
class MetricsScrapeTest {
    private static final String TEXT = "This sentence keeps the avatar talking for quite a few seconds so that the test can"
            + " interrupt it in the middle and see the silence arrive on the wire";

    /** The plain stdout lines of the three processes (not logs; launchers read them). */
    private static final Pattern ANNOUNCEMENT = Pattern.compile(
            "^(\\S+ )?(\\S+ )?(listening on|control plane on|ops on|demo page:|public API auth:)");

    @Test
    void allThreeProcessesExposeTheKeySeriesAfterASpokenAndInterruptedUtterance() throws Exception {
        // All three log JSON (--log-format json): the utterance lines are checked at the end.
        List<String> json = List.of("--log-format", "json");
        try (LocalStack stack = LocalStack.start("metrics", 1, 4, Duration.ofSeconds(5),
                List.of("--http-port", "0", "--log-format", "json"), json, json);
             FacecastClient client = stack.client()) {
            String signalingUrl = BrowserSupport.pageUrl(stack) + "metrics";
            String rendererUrl = Scrape.opsUrl(stack.renderer) + "metrics";
            String streamerUrl = Scrape.opsUrl(stack.streamers.get(0)) + "metrics";
            String sessionId;
            try (ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(),
                    new Recording(0))) {
                assertTrue(session.awaitConnected(Duration.ofSeconds(20)), stack.logs());
                long id = session.speak(TEXT);
                assertTrue(session.awaitEvent(e -> e.hasSpeechStarted() && e.getSpeechStarted().getUtteranceId() == id,
                        Duration.ofSeconds(20)).isPresent(), stack.logs());
                Thread.sleep(700); // let it speak a while: the interrupt must cut speech, not silence
                session.interrupt();
                assertTrue(session.awaitEvent(SessionEvent::hasInterrupted, Duration.ofSeconds(10)).isPresent(),
                        stack.logs());

                // Signaling: speak -> first frame (count 1, within 2 s), interrupt, sessions by state, placement.
                Scrape signaling = until(signalingUrl, s -> s.value("facecast_speak_first_frame_seconds_count") == 1
                        && s.value("facecast_interrupt_silence_seconds_count") == 1);
                double speakToFirst = signaling.mean("facecast_speak_first_frame_seconds");
                assertTrue(speakToFirst > 0 && speakToFirst < 2, "speak -> first frame " + speakToFirst + " s");
                assertEquals(1, signaling.value("facecast_speak_first_frame_seconds_bucket", "le", "2.0"));
                assertEquals(1, signaling.value("facecast_signaling_sessions", "state", "connected"));
                assertTrue(signaling.value("facecast_signaling_placements_total", "outcome", "placed") >= 1);
                assertEquals(0, signaling.value("facecast_signaling_placements_total", "outcome", "refused_full"));
                assertEquals(1, signaling.value("facecast_signaling_streamers"));
                assertEquals(1, signaling.value("facecast_utterance_stage_seconds_count", "stage", "speak_to_speech_started"));
                assertJvmAndProcess(signaling);

                // Renderer: its stages once, TTS per sentence and render speed for the FreeTTS backend.
                Scrape renderer = until(rendererUrl, s -> s.value("facecast_renderer_utterances_total", "backend",
                        "freetts", "outcome", "cancelled") + s.value("facecast_renderer_utterances_total", "backend",
                        "freetts", "outcome", "written") == 1);
                for (String stage : new String[] {"received_to_accepted", "received_to_first_sentence",
                        "received_to_first_frame_on_bus"}) {
                    assertEquals(1, renderer.value("facecast_utterance_stage_seconds_count", "stage", stage), stage);
                }
                assertTrue(renderer.value("facecast_renderer_tts_sentence_seconds_count", "backend", "freetts") >= 1);
                double media = renderer.value("facecast_renderer_media_seconds_total", "backend", "freetts");
                double wall = renderer.value("facecast_renderer_render_seconds_total", "backend", "freetts");
                assertTrue(media > 0.5 && wall > 0, "media " + media + " s in " + wall + " s");
                assertEquals(1, renderer.value("facecast_renderer_sessions"));
                assertJvmAndProcess(renderer);

                // Streamer: bus latency, pacing, interrupt -> silence, stages, look-ahead, WebRTC, bus directory.
                Scrape streamer = until(streamerUrl, s -> s.value("facecast_streamer_lookahead_buffered_seconds_count") > 0
                        && s.value("facecast_webrtc_outbound_frames_encoded_total") > 0
                        // the stats poll reports audio bytes on its own schedule (a fresh-clone CI run scraped before it)
                        && s.value("facecast_webrtc_outbound_bytes_total", "media", "audio") > 0);
                assertTrue(streamer.value("facecast_streamer_bus_read_seconds_count") > 10);
                double busRead = streamer.mean("facecast_streamer_bus_read_seconds");
                assertTrue(busRead >= 0 && busRead < 1, "bus append -> read " + busRead + " s");
                assertTrue(streamer.value("facecast_streamer_pacing_error_seconds_count", "media", "audio") > 100);
                assertTrue(streamer.value("facecast_streamer_pacing_error_seconds_count", "media", "video") > 30);
                assertEquals(1, streamer.value("facecast_streamer_interrupt_silence_seconds_count"));
                double silence = streamer.mean("facecast_streamer_interrupt_silence_seconds");
                assertTrue(silence >= 0 && silence < 0.1, "interrupt -> silence " + silence + " s");
                assertEquals(1, streamer.value("facecast_utterance_stage_seconds_count", "stage", "bus_append_to_first_push"));
                assertEquals(1, streamer.value("facecast_utterance_stage_seconds_count", "stage", "bus_append_to_first_read"));
                assertTrue(streamer.value("facecast_webrtc_connection_states_total", "state", "connected") >= 1);
                assertEquals(0, streamer.value("facecast_webrtc_ice_failures_total"));
                assertTrue(streamer.value("facecast_webrtc_outbound_bytes_total", "media", "audio") > 0);
                assertTrue(streamer.value("facecast_streamer_bus_directory_bytes") > 0);
                assertTrue(streamer.value("facecast_streamer_bus_directory_files") >= 1);
                assertEquals(1, streamer.value("facecast_streamer_sessions"));
                assertJvmAndProcess(streamer);

                // Every facecast_ series the dashboard and the alert rules use exists in one of the three.
                for (String name : DeployConfigTest.metricNames()) {
                    assertTrue(signaling.has(name) || renderer.has(name) || streamer.has(name)
                            || signaling.has(name + "_bucket") || renderer.has(name + "_bucket")
                            || streamer.has(name + "_bucket"), "deploy/ uses " + name + ", which no process exposes");
                }
                printStages(Map.of("signaling", signaling, "renderer", renderer, "streamer", streamer));
                promtool(Map.of("signaling", signaling, "renderer", renderer, "streamer", streamer));
                sessionId = session.sessionId();
            }
            for (JvmProcess p : List.of(stack.signaling, stack.renderer, stack.streamers.get(0))) {
                assertJsonLog(p, sessionId);
            }
        }
    }

    /**
     * With --log-format json every line on stderr is one JSON object; stdout keeps its plain start-up announcements
     * (JvmProcess merges the two). The utterance line carries the session id in the MDC, and so do the lines saying
     * the session opened and (polled: closing is asynchronous) closed.
     */
    private static void assertJsonLog(JvmProcess p, String sessionId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<JsonObject> lines = new ArrayList<>();
            for (String line : Files.readAllLines(p.log())) {
                if (ANNOUNCEMENT.matcher(line).find()) {
                    continue;
                }
                try {
                    lines.add(JsonParser.parseString(line).getAsJsonObject());
                } catch (RuntimeException e) {
                    fail(p.log() + ": not a JSON object: " + line);
                }
            }
            List<JsonObject> about = lines.stream()
                    .filter(o -> o.has("session_id") && o.get("session_id").getAsString().equals(sessionId)).toList();
            boolean utterance = about.stream().anyMatch(o -> o.get("logger").getAsString().equals("facecast.utterance")
                    && JsonParser.parseString(o.get("message").getAsString()).getAsJsonObject()
                            .get("session_id").getAsString().equals(sessionId));
            boolean opened = about.stream().anyMatch(o -> o.get("message").getAsString().matches("session \\S+ (open|opened|created).*"));
            boolean closed = about.stream().anyMatch(o -> o.get("message").getAsString().matches("session \\S+ closed.*"));
            if (utterance && opened && closed) {
                JsonObject first = lines.get(0);
                for (String field : new String[] {"time", "level", "logger", "thread", "message"}) {
                    assertTrue(first.has(field), p.log() + " line without " + field + ": " + first);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(p.log() + ": lines about session " + sessionId + " with it in the MDC: utterance " + utterance
                        + ", opened " + opened + ", closed " + closed + "; they were " + about);
            }
            Thread.sleep(200); // another process writes the line: nothing to inject a clock into
        }
    }

    private static void assertJvmAndProcess(Scrape s) {
        for (String name : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_cpu_seconds_total", "process_resident_memory_bytes"}) {
            assertTrue(s.has(name), s.url + " lacks " + name);
        }
        assertTrue(s.value("process_resident_memory_bytes") > 10e6, s.url + " RSS");
    }

    /** Scrapes until the condition holds (series recorded on other threads, a 2 s stats period) or 15 s pass. */
    private static Scrape until(String url, Predicate<Scrape> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Scrape s = Scrape.of(url);
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(250); // another process records these: nothing to inject a clock into
            s = Scrape.of(url);
        }
        if (!done.test(s)) {
            fail(url + " did not reach the expected values within 15 s:\n" + s.text);
        }
        return s;
    }

    private static void printStages(Map<String, Scrape> scrapes) {
        for (Map.Entry<String, Scrape> e : scrapes.entrySet()) {
            for (Scrape.Sample sample : e.getValue().samples) {
                if (sample.name().equals("facecast_utterance_stage_seconds_sum")) {
                    System.out.printf("stage %-10s %-32s %7.1f ms%n", e.getKey(), sample.labels().get("stage"),
                            sample.value() * 1000);
                }
            }
        }
        Scrape st = scrapes.get("streamer");
        System.out.printf("speak -> first frame (signaling) %.1f ms; interrupt confirmed %.1f ms; interrupt -> silence"
                        + " (streamer) %.1f ms; bus append -> read mean %.2f ms; pacing audio mean %.3f ms, video mean %.3f ms%n",
                scrapes.get("signaling").mean("facecast_speak_first_frame_seconds") * 1000,
                scrapes.get("signaling").mean("facecast_interrupt_silence_seconds") * 1000,
                st.mean("facecast_streamer_interrupt_silence_seconds") * 1000,
                st.mean("facecast_streamer_bus_read_seconds") * 1000,
                st.mean("facecast_streamer_pacing_error_seconds", "media", "audio") * 1000,
                st.mean("facecast_streamer_pacing_error_seconds", "media", "video") * 1000);
    }

    private static void promtool(Map<String, Scrape> scrapes) throws Exception {
        Path promtool = Promtool.find();
        if (promtool == null) {
            if (System.getenv("FACECAST_REQUIRE_BROWSER") != null) {
                fail("promtool is missing: apt-get install prometheus (CI requires it)");
            }
            System.out.println("SKIPPED promtool check metrics: promtool not installed (Debian package prometheus)");
            return;
        }
        for (Map.Entry<String, Scrape> e : scrapes.entrySet()) {
            e.getValue().save(e.getKey());
            Promtool.checkMetrics(promtool, e.getValue().text);
        }
    }
}
