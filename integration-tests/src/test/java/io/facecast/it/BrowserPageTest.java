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
            JsonObject r = BrowserSupport.runPageCheck(base + "#key=" + stack.apiKey, shot, false,
                    Path.of("target", "it-logs", "browser", "page-check.log"));
            System.out.println("[figures] chromium page: " + r);
            System.out.println("[screenshot] " + shot);
            PageAssertions.assertPageWorked(r, stack);

            // The page's Disconnect sent WHEP DELETE: the session is closed.
            HttpResponse<String> after = HttpClient.newHttpClient().send(
                    BrowserSupport.request(base + "api/sessions/" + r.get("sessionId").getAsString(), stack.apiKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), after.body());
            assertEquals("SESSION_STATE_CLOSED", JsonParser.parseString(after.body()).getAsJsonObject().get("state").getAsString());
        }
    }
}
