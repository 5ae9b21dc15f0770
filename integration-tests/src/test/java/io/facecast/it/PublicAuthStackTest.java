package io.facecast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.Session;
import io.facecast.client.FacecastClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The public auth system on the three real processes: signaling writes its key file, gRPC and HTTP refuse a call
 * without the key and another session's token, the right token speaks through the real renderer, the per-key
 * session quota answers RESOURCE_EXHAUSTED / 429, and the CLI finds the key file by itself.
 */
class PublicAuthStackTest {
    static LocalStack stack;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start("public-auth", 1, 4, Duration.ofSeconds(10),
                List.of("--http-port", "0", "--key-session-quota", "2"));
        base = BrowserSupport.pageUrl(stack);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) stack.close();
    }

    static StatusRuntimeException assertCode(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()));
        return e;
    }

    @Test
    void keyFileIsOwnerOnlyAndTheKeyNeverReachesTheLog() throws Exception {
        Path file = Path.of("target", "it-logs", "public-auth", "api-key");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String log = Files.readString(stack.signaling.log());
        assertTrue(log.contains("public API auth: on"), log);
        assertFalse(log.contains(stack.apiKey.substring(17)), "the key's secret is not in signaling's log");
    }

    @Test
    void grpcNeedsTheKeyAndASessionTokenReachesItsOwnSessionOnly() throws Exception {
        try (FacecastClient anonymous = FacecastClient.connect(stack.signalingTarget);
             FacecastClient owner = stack.client()) {
            assertCode(Status.Code.UNAUTHENTICATED, () -> anonymous.createSession(CreateSessionRequest.getDefaultInstance()));
            Session a = owner.createSession(CreateSessionRequest.getDefaultInstance());
            Session b = owner.createSession(CreateSessionRequest.getDefaultInstance());
            try (FacecastClient withA = FacecastClient.connect(stack.signalingTarget, a.getSessionToken())) {
                assertCode(Status.Code.PERMISSION_DENIED, () -> withA.speak(b.getSessionId(), "not yours"));
                assertCode(Status.Code.PERMISSION_DENIED, () -> withA.closeSession(b.getSessionId()));
                assertEquals(a.getSessionId(), withA.getSession(a.getSessionId()).getSessionId());
                assertCode(Status.Code.UNAUTHENTICATED, () -> anonymous.getSession(a.getSessionId()));
                // The quota (2 here) is full: a third session is refused until one closes.
                StatusRuntimeException full = assertCode(Status.Code.RESOURCE_EXHAUSTED,
                        () -> owner.createSession(CreateSessionRequest.getDefaultInstance()));
                assertTrue(full.getStatus().getDescription().contains("quota is 2"), full.getStatus().getDescription());
                HttpResponse<String> over = http.send(BrowserSupport.request(base + "api/sessions", stack.apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(429, over.statusCode(), over.body());
                assertTrue(over.headers().firstValue("Retry-After").isPresent());
                withA.closeSession(a.getSessionId());
            } finally {
                owner.closeSession(b.getSessionId());
            }
            owner.closeSession(owner.createSession(CreateSessionRequest.getDefaultInstance()).getSessionId());
        }
    }

    @Test
    void httpAnswers401And403AndTheRightTokenWorks() throws Exception {
        HttpResponse<String> none = http.send(BrowserSupport.request(base + "api/sessions", null)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        assertEquals("no-referrer", none.headers().firstValue("Referrer-Policy").orElseThrow());
        assertTrue(none.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        try (FacecastClient owner = stack.client()) {
            Session a = owner.createSession(CreateSessionRequest.getDefaultInstance());
            Session b = owner.createSession(CreateSessionRequest.getDefaultInstance());
            try {
                HttpResponse<String> denied = http.send(BrowserSupport.request(base + "api/sessions/" + b.getSessionId(),
                        a.getSessionToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, denied.statusCode(), denied.body());
                HttpResponse<String> mine = http.send(BrowserSupport.request(base + "api/sessions/" + a.getSessionId(),
                        a.getSessionToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, mine.statusCode(), mine.body());
            } finally {
                owner.closeSession(a.getSessionId());
                owner.closeSession(b.getSessionId());
            }
        }
    }

    @Test
    void theCliFindsTheKeyFileWithoutBeingTold() throws Exception {
        Path home = Files.createTempDirectory("facecast-home");
        Files.copy(Path.of("target", "it-logs", "public-auth", "api-key"), home.resolve("api-key"));
        Path jar = Path.of("..", "client", "target", "facecast-client.jar").toAbsolutePath().normalize();
        Result created = cli(jar, home, "create");
        assertEquals(0, created.exitCode, "with FACECAST_HOME's key file: " + created.output);
        try (FacecastClient owner = stack.client()) { // the quota is small here: give the slot back
            owner.closeSession(created.output.strip().lines().reduce((x, y) -> y).orElseThrow());
        }
        Files.delete(home.resolve("api-key"));
        Result refused = cli(jar, home, "create");
        assertEquals(3, refused.exitCode, refused.output);
        assertTrue(refused.output.contains("UNAUTHENTICATED"), refused.output);
    }

    record Result(int exitCode, String output) {}

    static Result cli(Path jar, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--target", stack.signalingTarget));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put("FACECAST_HOME", home.toString());
        builder.environment().remove("FACECAST_API_KEY");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "CLI did not finish");
        return new Result(p.exitValue(), out);
    }
}
