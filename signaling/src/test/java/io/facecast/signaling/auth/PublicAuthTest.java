package io.facecast.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import io.facecast.api.v1.CloseSessionRequest;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.InterruptRequest;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakAudioRequest;
import io.facecast.api.v1.SpeakAudioStart;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.WatchEventsRequest;
import io.facecast.signaling.support.EventRecorder;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The public auth system end to end over real sockets: signaling's gRPC API on Netty and its HTTP listener, both on
 * loopback, with fake streamer and renderer behind. Quotas and ticket expiry run on the harness's manual clock.
 */
class PublicAuthTest {

    static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=fake-ok\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

    final ApiKey key = ApiKey.generate(new SecureRandom());
    final ApiKey otherKey = ApiKey.generate(new SecureRandom());
    final HttpClient http = HttpClient.newHttpClient();
    SignalingHarness h;

    void start(int quota, double perSecond, int burst) throws Exception {
        h = new SignalingHarness(true, AuthOptions.withKeys(List.of(key, otherKey)).withLimits(quota, perSecond, burst));
        h.addStreamer("s1", 16);
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    static StatusRuntimeException assertCode(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), "message: " + e.getStatus().getDescription());
        return e;
    }

    FacecastGrpc.FacecastBlockingStub as(String bearer) {
        return h.facecastAs(bearer);
    }

    Session create(String bearer) {
        return as(bearer).createSession(CreateSessionRequest.getDefaultInstance());
    }

    // ---------- gRPC ----------

    @Test
    void grpcWithoutAValidCredentialIsUnauthenticated() throws Exception {
        start(4, 1000, 1000);
        String id = create(key.value()).getSessionId();
        StatusRuntimeException none = assertCode(Status.Code.UNAUTHENTICATED, () -> create(null));
        assertTrue(none.getStatus().getDescription().contains("authorization: Bearer"));
        assertCode(Status.Code.UNAUTHENTICATED, () -> as(null).getSession(GetSessionRequest.newBuilder().setSessionId(id).build()));
        assertCode(Status.Code.UNAUTHENTICATED, () -> create("fck_000000000000_" + "A".repeat(43)));
        // A key sent without the Bearer scheme is refused without being echoed back (or logged).
        StatusRuntimeException bare = assertCode(Status.Code.UNAUTHENTICATED, () -> h.facecastAs(null)
                .withCallCredentials(new io.grpc.CallCredentials() {
                    @Override
                    public void applyRequestMetadata(RequestInfo info, java.util.concurrent.Executor executor, MetadataApplier applier) {
                        io.grpc.Metadata headers = new io.grpc.Metadata();
                        headers.put(GrpcAuth.AUTHORIZATION, key.value());
                        applier.apply(headers);
                    }
                }).createSession(CreateSessionRequest.getDefaultInstance()));
        assertFalse(bare.getStatus().getDescription().contains(key.id()), bare.getStatus().getDescription());
        assertCode(Status.Code.UNAUTHENTICATED, () -> create("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"));
        // A key from another deployment, well-formed, is just as unknown.
        assertCode(Status.Code.UNAUTHENTICATED, () -> create(ApiKey.generate(new SecureRandom()).value()));
        EventRecorder events = new EventRecorder();
        h.facecastAsyncAs(null).watchEvents(WatchEventsRequest.newBuilder().setSessionId(id).build(), events);
        assertFalse(events.awaitCompleted());
        assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(events.error()).getCode());
    }

    @Test
    void aSessionTokenReachesItsOwnSessionOnlyAndCannotCreate() throws Exception {
        start(4, 1000, 1000);
        Session a = create(key.value());
        Session b = create(key.value());
        String tokenA = a.getSessionToken();
        assertFalse(tokenA.isEmpty());
        assertNotEquals(tokenA, b.getSessionToken());
        String idB = b.getSessionId();

        // Another session's token: PERMISSION_DENIED on every method that names a session.
        FacecastGrpc.FacecastBlockingStub withA = as(tokenA);
        assertCode(Status.Code.PERMISSION_DENIED, () -> withA.getSession(GetSessionRequest.newBuilder().setSessionId(idB).build()));
        assertCode(Status.Code.PERMISSION_DENIED, () -> withA.negotiate(NegotiateRequest.newBuilder().setSessionId(idB).setSdpOffer(OFFER).build()));
        assertCode(Status.Code.PERMISSION_DENIED, () -> withA.speak(SpeakRequest.newBuilder().setSessionId(idB).setText("hi").build()));
        assertCode(Status.Code.PERMISSION_DENIED, () -> withA.interrupt(InterruptRequest.newBuilder().setSessionId(idB).build()));
        assertCode(Status.Code.PERMISSION_DENIED, () -> withA.closeSession(CloseSessionRequest.newBuilder().setSessionId(idB).build()));
        assertCode(Status.Code.PERMISSION_DENIED, () -> withA.createSession(CreateSessionRequest.getDefaultInstance()));
        EventRecorder watchB = new EventRecorder();
        h.facecastAsyncAs(tokenA).watchEvents(WatchEventsRequest.newBuilder().setSessionId(idB).build(), watchB);
        assertFalse(watchB.awaitCompleted());
        assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(watchB.error()).getCode());
        assertSpeakAudioRefused(tokenA, idB);
        assertEquals(SessionState.SESSION_STATE_NEW, as(key.value()).getSession(GetSessionRequest.newBuilder()
                .setSessionId(idB).build()).getState(), "B was not touched");

        // Its own session: everything works.
        assertEquals(a.getSessionId(), withA.getSession(GetSessionRequest.newBuilder().setSessionId(a.getSessionId()).build()).getSessionId());
        assertTrue(withA.getSession(GetSessionRequest.newBuilder().setSessionId(a.getSessionId()).build()).getSessionToken().isEmpty(),
                "only CreateSession hands out the token");
        withA.negotiate(NegotiateRequest.newBuilder().setSessionId(a.getSessionId()).setSdpOffer(OFFER).build());
        withA.interrupt(InterruptRequest.newBuilder().setSessionId(a.getSessionId()).build());
        EventRecorder watchA = new EventRecorder();
        h.facecastAsyncAs(tokenA).watchEvents(WatchEventsRequest.newBuilder().setSessionId(a.getSessionId()).build(), watchA);
        assertTrue(watchA.next().hasStateChanged());
        withA.closeSession(CloseSessionRequest.newBuilder().setSessionId(a.getSessionId()).build());
    }

    private void assertSpeakAudioRefused(String bearer, String sessionId) throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
        StreamObserver<SpeakAudioRequest> up = h.facecastAsyncAs(bearer).speakAudio(new StreamObserver<>() {
            @Override public void onNext(io.facecast.api.v1.SpeakResponse value) { failure.complete(null); }
            @Override public void onError(Throwable t) { failure.complete(t); }
            @Override public void onCompleted() {}
        });
        up.onNext(SpeakAudioRequest.newBuilder().setStart(SpeakAudioStart.newBuilder().setSessionId(sessionId).setWav(true)).build());
        up.onCompleted();
        Throwable t = failure.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(t).getCode());
    }

    @Test
    void keysNeverReachEachOthersSessionsWhateverTheirTokensClaim() throws Exception {
        start(4, 1000, 1000);
        Session mine = create(key.value());
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(otherKey.value())
                .getSession(GetSessionRequest.newBuilder().setSessionId(mine.getSessionId()).build()));
        // The other key's holder mints itself a token naming my session: signed by the wrong key for it.
        // (minted on the harness's clock, which is fixed in 2026)
        String claimedOnHarnessClock = new AccessTokens(List.of(otherKey), java.time.Clock.fixed(
                java.time.Instant.parse("2026-11-24T12:00:00Z"), java.time.ZoneOffset.UTC))
                .mint(otherKey, List.of("session:" + mine.getSessionId()), Duration.ofMinutes(5));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(claimedOnHarnessClock)
                .getSession(GetSessionRequest.newBuilder().setSessionId(mine.getSessionId()).build()));
        // A create token reaches what it created, nothing else of the same key.
        String createToken = new AccessTokens(List.of(key), java.time.Clock.fixed(
                java.time.Instant.parse("2026-11-24T12:00:00Z"), java.time.ZoneOffset.UTC))
                .mint(key, List.of("create"), Duration.ofMinutes(5));
        Session made = create(createToken);
        as(createToken).getSession(GetSessionRequest.newBuilder().setSessionId(made.getSessionId()).build());
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(createToken)
                .getSession(GetSessionRequest.newBuilder().setSessionId(mine.getSessionId()).build()));
    }

    @Test
    void theSessionQuotaIsResourceExhaustedWithRetryInfoUntilASessionCloses() throws Exception {
        start(2, 1000, 1000);
        Session first = create(key.value());
        create(key.value());
        StatusRuntimeException e = assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> create(key.value()));
        assertTrue(e.getStatus().getDescription().contains("quota is 2"), e.getStatus().getDescription());
        RetryInfo retry = StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class);
        assertTrue(retry.getRetryDelay().getSeconds() > 0);
        create(otherKey.value()); // another key has its own quota
        as(key.value()).closeSession(CloseSessionRequest.newBuilder().setSessionId(first.getSessionId()).build());
        create(key.value());
    }

    @Test
    void theRequestRateIsLimitedPerKeyWithTheTimeToWait() throws Exception {
        start(100, 5, 10); // 5/s, burst 10; the harness's clock stands still until moved
        String id = create(key.value()).getSessionId();
        GetSessionRequest get = GetSessionRequest.newBuilder().setSessionId(id).build();
        for (int i = 1; i < 10; i++) {
            as(key.value()).getSession(get);
        }
        StatusRuntimeException e = assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> as(key.value()).getSession(get));
        RetryInfo retry = StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class);
        assertEquals(200_000_000, retry.getRetryDelay().getNanos(), "one request per 200 ms");
        create(otherKey.value());
        h.time.advance(Duration.ofMillis(200));
        as(key.value()).getSession(get);
    }

    // ---------- HTTP ----------

    HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.httpBase() + path.substring(1)))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", path.startsWith("/whep") ? "application/sdp" : "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    @Test
    void httpSays401WithAChallenge403ForAnotherSessionAndWorksWithTheRightToken() throws Exception {
        start(4, 1000, 1000);
        HttpResponse<String> none = send("POST", "/api/sessions", null, "{}");
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"facecast\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(none.body().contains("\"code\":\"UNAUTHENTICATED\""), none.body());
        HttpResponse<String> bad = send("POST", "/api/sessions", "nope", "{}");
        assertEquals(401, bad.statusCode());
        assertTrue(bad.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        assertEquals(401, send("POST", "/whep", null, OFFER).statusCode());

        HttpResponse<String> a = send("POST", "/api/sessions", key.value(), "{}");
        assertEquals(201, a.statusCode(), a.body());
        HttpResponse<String> b = send("POST", "/api/sessions", key.value(), "{}");
        String idA = field(a.body(), "sessionId");
        String idB = field(b.body(), "sessionId");
        String tokenA = field(a.body(), "sessionToken");
        HttpResponse<String> denied = send("GET", "/api/sessions/" + idB, tokenA, null);
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("PERMISSION_DENIED"), denied.body());
        assertEquals(403, send("POST", "/api/sessions/" + idB + "/speak", tokenA, "{\"text\":\"hi\"}").statusCode());
        assertEquals(403, send("DELETE", "/api/sessions/" + idB, tokenA, null).statusCode());
        assertEquals(200, send("GET", "/api/sessions/" + idA, tokenA, null).statusCode());
        assertEquals(200, send("POST", "/api/sessions/" + idA + "/negotiate", tokenA,
                "{\"sdpOffer\":\"" + OFFER.replace("\r\n", "\\r\\n") + "\"}").statusCode());

        // WHEP: the POST's credential creates; the answer carries the session's own token.
        HttpResponse<String> whep = send("POST", "/whep", key.value(), OFFER);
        assertEquals(201, whep.statusCode(), whep.body());
        String whepToken = whep.headers().firstValue("Facecast-Session-Token").orElseThrow();
        String resource = whep.headers().firstValue("Location").orElseThrow();
        HttpRequest patch = HttpRequest.newBuilder(URI.create(h.httpBase() + resource.substring(1)))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a=end-of-candidates\r\n"))
                .header("Content-Type", "application/trickle-ice-sdpfrag").header("Authorization", "Bearer " + tokenA).build();
        assertEquals(403, http.send(patch, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, send("DELETE", resource, whepToken, null).statusCode());
    }

    @Test
    void httpQuotaIs429WithRetryAfter() throws Exception {
        start(1, 1000, 1000);
        assertEquals(201, send("POST", "/api/sessions", key.value(), "{}").statusCode());
        HttpResponse<String> over = send("POST", "/api/sessions", key.value(), "{}");
        assertEquals(429, over.statusCode());
        assertTrue(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        assertTrue(over.body().contains("RESOURCE_EXHAUSTED"), over.body());
    }

    @Test
    void onlyTheApiKeyMintsTokensAndTheyWork() throws Exception {
        start(4, 1000, 1000);
        HttpResponse<String> minted = send("POST", "/api/tokens", key.value(), "{\"grants\":[\"create\"],\"ttlSeconds\":300}");
        assertEquals(200, minted.statusCode(), minted.body());
        String createToken = field(minted.body(), "token");
        assertEquals(201, send("POST", "/api/sessions", createToken, "{}").statusCode());
        assertEquals(403, send("POST", "/api/tokens", createToken, "{}").statusCode(), "a token mints nothing");
        assertEquals(400, send("POST", "/api/tokens", key.value(), "{\"grants\":[\"admin\"]}").statusCode());
        assertEquals(400, send("POST", "/api/tokens", key.value(), "{\"ttlSeconds\":999999}").statusCode());
    }

    @Test
    void anEventTicketIsOneUseForOneSessionAndShortLived() throws Exception {
        start(4, 1000, 1000);
        HttpResponse<String> a = send("POST", "/api/sessions", key.value(), "{}");
        String id = field(a.body(), "sessionId");
        String token = field(a.body(), "sessionToken");
        String other = field(send("POST", "/api/sessions", key.value(), "{}").body(), "sessionId");

        assertEquals(401, send("POST", "/api/sessions/" + id + "/events-ticket", null, null).statusCode());
        String ticket = field(send("POST", "/api/sessions/" + id + "/events-ticket", token, null).body(), "ticket");
        assertEquals(401, sseStatus(other, ticket), "a ticket is for its own session (and is spent by the try)");
        ticket = field(send("POST", "/api/sessions/" + id + "/events-ticket", token, null).body(), "ticket");
        assertEquals(401, send("GET", "/api/sessions/" + id + "?ticket=" + ticket, null, null).statusCode(),
                "a ticket opens the event stream, nothing else");
        ticket = field(send("POST", "/api/sessions/" + id + "/events-ticket", token, null).body(), "ticket");
        assertEquals(200, sseStatus(id, ticket));
        assertEquals(401, sseStatus(id, ticket), "one use");

        String late = field(send("POST", "/api/sessions/" + id + "/events-ticket", token, null).body(), "ticket");
        h.time.advance(PublicAccess.eventTicketTtl());
        assertEquals(401, sseStatus(id, late), "expired");
        assertEquals(401, send("GET", "/api/sessions/" + id + "/events?access_token=" + token, null, null).statusCode(),
                "tokens are never taken from URLs");
        assertEquals(403, send("POST", "/api/sessions/" + other + "/events-ticket", token, null).statusCode());
    }

    /** Opens the event stream with a ticket; on 200 reads the first event, then hangs up. */
    int sseStatus(String id, String ticket) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(h.httpBase() + "api/sessions/" + id + "/events?ticket=" + ticket))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() == 200) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null && !line.startsWith("data:")) {
                    // skip to the first event
                }
                assertTrue(line != null && line.contains("stateChanged"), "first event: " + line);
            }
        }
        return response.statusCode();
    }

    @Test
    void aForeignHostIsRefusedCorsIsClosedAndNoReferrerLeaks() throws Exception {
        start(4, 1000, 1000);
        int port = URI.create(h.httpBase()).getPort();
        String rebound = raw("GET / HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n", port);
        assertTrue(rebound.startsWith("HTTP/1.1 421"), rebound);
        assertTrue(rebound.contains("DNS rebinding"), rebound);
        String wrongPort = raw("GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n", port);
        assertTrue(wrongPort.startsWith("HTTP/1.1 421"), wrongPort);
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port)) {
            String ok = raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n", port);
            assertTrue(ok.startsWith("HTTP/1.1 200"), host + ": " + ok.lines().findFirst().orElse(""));
        }

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(h.httpBase()))
                .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElseThrow());
        HttpResponse<String> api = send("POST", "/api/sessions", key.value(), "{}");
        assertEquals("no-referrer", api.headers().firstValue("Referrer-Policy").orElseThrow());
        assertTrue(api.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "CORS closed by default");
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(h.httpBase() + "api/sessions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").isEmpty());
    }

    static String raw(String request, int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
