package io.facecast.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by playwright-core (installed by .ci/run with npm ci into src/test/js; never a downloaded
 * browser), and the HTTP side of a {@link LocalStack}'s signaling.
 */
final class BrowserSupport {
    static final Path JS_DIR = Path.of("src", "test", "js").toAbsolutePath();
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern PAGE = Pattern.compile("demo page: (http://\\S+)");

    private BrowserSupport() {}

    /**
     * Chromium and playwright-core must be there. CI (.ci/run sets FACECAST_REQUIRE_BROWSER=1) fails without them;
     * a developer machine without them skips, saying what to install.
     */
    static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) missing.add(CHROMIUM + " (apt-get install chromium)");
        if (!Files.isDirectory(JS_DIR.resolve("node_modules").resolve("playwright-core")))
            missing.add("playwright-core (cd integration-tests/src/test/js && npm ci)");
        if (missing.isEmpty()) return;
        String message = "browser test needs " + String.join(", ", missing);
        if ("1".equals(System.getenv("FACECAST_REQUIRE_BROWSER"))) throw new IllegalStateException(message);
        Assumptions.abort(message);
    }

    /** The page URL signaling printed ("demo page: http://127.0.0.1:PORT/"). */
    static String pageUrl(LocalStack stack) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Matcher m = PAGE.matcher(Files.readString(stack.signaling.log()));
            if (m.find()) return m.group(1);
            Thread.sleep(100); // another process writes its log: nothing to inject a clock into
        }
        throw new IllegalStateException("signaling printed no demo page URL:\n" + stack.logs());
    }

    /** Waits until a session can be created through the JSON API (a streamer has registered), then closes it. */
    static void awaitStreamer(String base, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = http.send(request(base + "api/sessions", token).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 201) {
                String id = JsonParser.parseString(last.body()).getAsJsonObject().get("sessionId").getAsString();
                http.send(request(base + "api/sessions/" + id, token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no session could be created over HTTP: " + (last == null ? "" : last.statusCode()
                + " " + last.body()));
    }

    static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    /** Runs page-check.mjs and returns the JSON object it printed. */
    static JsonObject runPageCheck(String url, Path screenshot, boolean relay, Path log) throws IOException, InterruptedException {
        return runPageCheck(url, screenshot, relay, log, null);
    }

    /** With {@code wav}: the page also uploads that file through its "Your own audio" control. */
    static JsonObject runPageCheck(String url, Path screenshot, boolean relay, Path log, Path wav)
            throws IOException, InterruptedException {
        Files.createDirectories(screenshot.getParent());
        List<String> cmd = new ArrayList<>(List.of("node", JS_DIR.resolve("page-check.mjs").toString(), "--url", url,
                "--screenshot", screenshot.toString(), "--chromium", CHROMIUM.toString()));
        if (relay) cmd.add("--relay");
        if (wav != null) {
            cmd.add("--wav");
            cmd.add(wav.toString());
        }
        Process p = new ProcessBuilder(cmd).directory(JS_DIR.toFile()).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("page-check.mjs did not finish in 120 s");
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        if (!last.startsWith("{")) {
            throw new IllegalStateException("page-check.mjs exited " + p.exitValue() + " without a result:\n" + out
                    + "\n" + Files.readString(log));
        }
        return JsonParser.parseString(last).getAsJsonObject();
    }
}
