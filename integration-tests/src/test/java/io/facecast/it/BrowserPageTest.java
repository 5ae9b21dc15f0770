package io.facecast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo page in a real Chromium, against the three real processes: it connects through WHEP, video decodes at
 * 25 fps or more, audio samples arrive, Speak brings speech energy and mouth motion, Interrupt stops both, and the
 * page's Disconnect (WHEP DELETE) ends the session. A screenshot is kept under target/browser/.
 */
class BrowserPageTest {

    @Test
    void demoPageConnectsThroughWhepAndSpeaksInChromium() throws Exception {
        BrowserSupport.requireBrowser();
        try (LocalStack stack = LocalStack.start("browser", 1, 2, Duration.ofSeconds(10),
                List.of("--http-port", "0"))) {
            String base = BrowserSupport.pageUrl(stack);
            BrowserSupport.awaitStreamer(base, stack.apiKey);
            Path shot = Path.of("target", "browser", "demo-page.png").toAbsolutePath();
            Path wav = speechLikeWav(Path.of("target", "browser", "upload.wav").toAbsolutePath());
            JsonObject r = BrowserSupport.runPageCheck(base + "#key=" + stack.apiKey, shot, false,
                    Path.of("target", "it-logs", "browser", "page-check.log"), wav);
            System.out.println("[figures] chromium page: " + r);
            System.out.println("[screenshot] " + shot);
            PageAssertions.assertPageWorked(r, stack);
            assertPickersListTheServersCatalog(r, base, stack.apiKey);
            assertFirstFrameFast(r);
            assertWordHighlightingMoves(r);
            assertUploadedWavMovesTheMouth(r);

            // The page's Disconnect sent WHEP DELETE: the session is closed.
            HttpResponse<String> after = HttpClient.newHttpClient().send(
                    BrowserSupport.request(base + "api/sessions/" + r.get("sessionId").getAsString(), stack.apiKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), after.body());
            assertEquals("SESSION_STATE_CLOSED", JsonParser.parseString(after.body()).getAsJsonObject().get("state").getAsString());
        }
    }

    /** The avatar and voice selects hold exactly what GET /v1/avatars and /v1/voices list; the preview loaded. */
    private static void assertPickersListTheServersCatalog(JsonObject r, String base, String key) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonObject avatars = JsonParser.parseString(http.send(BrowserSupport.request(base + "v1/avatars", key).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
        JsonObject voices = JsonParser.parseString(http.send(BrowserSupport.request(base + "v1/voices", key).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
        java.util.List<String> avatarNames = new java.util.ArrayList<>();
        avatars.getAsJsonArray("avatars").forEach(a -> avatarNames.add(a.getAsJsonObject().get("name").getAsString()));
        java.util.List<String> voiceNames = new java.util.ArrayList<>();
        voices.getAsJsonArray("voices").forEach(v -> {
            JsonObject o = v.getAsJsonObject();
            if (!o.has("pattern") || !o.get("pattern").getAsBoolean()) voiceNames.add(o.get("name").getAsString());
        });
        assertTrue(avatarNames.containsAll(List.of("default", "ada")), "server avatars " + avatarNames);
        assertTrue(voiceNames.containsAll(List.of("default", "kevin16")), "server voices " + voiceNames);
        JsonObject pickers = r.getAsJsonObject("pickers");
        java.util.List<String> pageAvatars = new java.util.ArrayList<>();
        pickers.getAsJsonArray("avatars").forEach(a -> pageAvatars.add(a.getAsString()));
        java.util.List<String> pageVoices = new java.util.ArrayList<>();
        pickers.getAsJsonArray("voices").forEach(v -> pageVoices.add(v.getAsString()));
        assertEquals(avatarNames, pageAvatars, "avatar picker");
        assertEquals(voiceNames, pageVoices, "voice picker");
        assertEquals(160, pickers.get("previewWidth").getAsInt(), "the chosen avatar's preview image");
    }

    /**
     * WHEP POST to the first decoded frame in Chromium on loopback. Goal 300 ms (measured 290-310 ms on a busy
     * 2-core machine, from 580 ms before the answer stopped waiting for ICE gathering to complete); asserted with a
     * wide margin for CI.
     */
    private static void assertFirstFrameFast(JsonObject r) {
        double ms = r.get("postToFirstFrameMs").getAsDouble();
        System.out.println("[figures] chromium WHEP POST -> first decoded frame: " + ms + " ms; "
                + r.getAsJsonObject("timing").get("sinceWhepPostMs"));
        assertTrue(ms <= 1500, "WHEP POST -> first decoded frame took " + ms + " ms: " + r.get("timing"));
    }

    /** Words light up one after another during speech, in the order they stand in the text. */
    private static void assertWordHighlightingMoves(JsonObject r) {
        java.util.List<String> highlighted = new java.util.ArrayList<>();
        r.getAsJsonArray("highlights").forEach(h -> highlighted.add(h.getAsString()));
        System.out.println("[figures] words highlighted in the first 3 s of speech: " + highlighted
                + "; at the screenshot: " + r.get("markedAtScreenshot"));
        assertTrue(new java.util.HashSet<>(highlighted).size() >= 4, "highlighted words " + highlighted);
        assertEquals(List.of("Hello", "there", "I", "am"), highlighted.subList(0, 4), "first words, in order");
        assertTrue(!r.get("markedAtScreenshot").isJsonNull(), "a word is highlighted in the screenshot");
    }

    /** The WAV uploaded through the page was accepted and the mouth moved while it played. */
    private static void assertUploadedWavMovesTheMouth(JsonObject r) {
        assertEquals(0, r.getAsJsonObject("upload").getAsJsonArray("errors").size(), "upload errors: " + r.get("upload"));
        JsonObject speech = r.getAsJsonObject("uploadSpeech");
        System.out.println("[figures] uploaded WAV: speech started " + r.get("uploadToSpeechStartedMs")
                + " ms after the click; mouth motion " + speech.get("motionMean") + ", audio RMS " + speech.get("audioRmsMean"));
        assertTrue(speech.get("motionMean").getAsDouble() > 1.0, "mouth motion while the upload plays " + speech);
        assertTrue(speech.get("audioRmsMean").getAsDouble() > 0.01, "audio while the upload plays " + speech);
    }

    /** 2.5 s of a 220 Hz tone whose loudness rises and falls four times a second, like syllables; 16 kHz mono. */
    static Path speechLikeWav(Path file) throws java.io.IOException {
        int rate = 16_000, n = rate * 5 / 2;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double envelope = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
            b.putShort((short) (14_000 * envelope * Math.sin(2 * Math.PI * 220 * t)));
        }
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.write(file, b.array());
        return file;
    }
}
