package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.support.RedisServer;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After Redis restarts empty, a replica that does not know a session id answers UNAVAILABLE ("being rebuilt; retry
 * in a second", HTTP 503 with Retry-After) for the rebuild window, because the session's holder may not have written
 * it back yet; NOT_FOUND again after the window. A real redis-server is restarted; the window runs on the injected
 * fleet clock.
 */
class RebuildWindowTest {

    RedisServer redis;
    final AtomicLong millis = new AtomicLong(7_000_000);
    final ApiKey key = ApiKey.generate(new SecureRandom());
    final HttpClient http = HttpClient.newHttpClient();
    SignalingHarness a;
    SignalingHarness b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.startOrSkip();
        AuthOptions auth = AuthOptions.withKeys(List.of(key)).withLimits(1000, 1e6, 1_000_000);
        a = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
        b = new SignalingHarness(true, auth, new RedisFleetState(redis.uri(), millis::get));
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        redis.close();
    }

    FacecastGrpc.FacecastBlockingStub api(SignalingHarness replica) {
        return replica.facecastAs(key.value());
    }

    StatusRuntimeException getFails(SignalingHarness replica, String id) {
        try {
            api(replica).getSession(GetSessionRequest.newBuilder().setSessionId(id).build());
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("GetSession " + id + " answered");
    }

    HttpResponse<String> httpGet(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(b.httpBase() + "api/sessions/" + id))
                .header("Authorization", "Bearer " + key.value()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnknownIdIsUnavailableWhileTheRegistryIsRebuiltThenNotFound() throws Exception {
        a.addStreamer("s1", 4);
        String id = api(a).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        String never = UUID.randomUUID().toString();
        assertEquals(Status.Code.NOT_FOUND, getFails(b, never).getStatus().getCode(), "before the restart");
        assertEquals(404, httpGet(never).statusCode());

        redis.kill();
        redis.start(); // empty; A, which holds the session, has not written it back yet
        StatusRuntimeException rebuilding = RedisFleetStateTest.whenReconnected(() -> {
            StatusRuntimeException e = getFails(b, id);
            if (!String.valueOf(e.getStatus().getDescription()).contains("rebuilt")) {
                throw e; // Lettuce is still reconnecting: "unreachable", tried again
            }
            return e;
        });
        assertEquals(Status.Code.UNAVAILABLE, rebuilding.getStatus().getCode(), "a live session is not NOT_FOUND");
        assertTrue(rebuilding.getStatus().getDescription().contains("retry in a second"),
                rebuilding.getStatus().getDescription());
        HttpResponse<String> overHttp = httpGet(id);
        assertEquals(503, overHttp.statusCode(), overHttp.body());
        assertEquals("1", overHttp.headers().firstValue("Retry-After").orElse(""), "Retry-After");
        assertTrue(overHttp.body().contains("being rebuilt"), overHttp.body());

        RedisFleetStateTest.whenReconnected(() -> a.reaper().runOnce()); // A notices and writes back what it holds
        assertEquals("s1", api(b).getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getStreamerId(),
                "served again once written back");
        assertEquals(200, httpGet(id).statusCode());

        // Within the window an id nobody wrote back may still come: told to retry.
        millis.addAndGet(RedisFleetState.DEFAULT_REBUILD_WINDOW.toMillis() - 1);
        assertEquals(Status.Code.UNAVAILABLE, getFails(b, never).getStatus().getCode());
        assertEquals(503, httpGet(never).statusCode());
        // After it, an unknown id is NOT_FOUND again.
        millis.addAndGet(1);
        assertEquals(Status.Code.NOT_FOUND, getFails(b, never).getStatus().getCode());
        HttpResponse<String> gone = httpGet(never);
        assertEquals(404, gone.statusCode(), gone.body());
    }

    @Test
    void theWindowFollowsTheHeartbeatPeriod() {
        assertEquals(Duration.ofSeconds(5), RedisFleetState.DEFAULT_REBUILD_WINDOW);
        assertEquals(Duration.ofSeconds(7), RedisFleetState.rebuildWindow(Duration.ofSeconds(2)));
    }
}
