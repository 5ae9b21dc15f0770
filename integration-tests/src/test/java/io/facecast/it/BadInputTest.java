package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.VideoOptions;
import io.facecast.client.BearerCredentials;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.internal.v1.StreamerInspection;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input against the real processes: each gets a precise status and a message a person can act on, leaks nothing,
 * and disturbs nothing else — a healthy session keeps streaming through all of it and still speaks afterwards.
 */
class BadInputTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_SESSIONS = 3;

    static LocalStack stack;
    static FacecastClient client;
    static ManagedChannel streamerChannel;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start("bad-input", 1, MAX_SESSIONS, Duration.ofSeconds(2));
        client = stack.client();
        streamerChannel = stack.streamerControlAsSignaling(1);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (streamerChannel != null) streamerChannel.shutdownNow();
        if (client != null) client.close();
        if (stack != null) stack.close();
    }

    private static StreamerInspection inspect() {
        return StreamerControlGrpc.newBlockingStub(streamerChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .inspect(Empty.getDefaultInstance());
    }

    private static void assertStatus(Status.Code code, String messagePart, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        String description = String.valueOf(e.getStatus().getDescription());
        assertTrue(description.contains(messagePart), "message '" + description + "' lacks '" + messagePart + "'");
        assertFalse(description.contains("Exception") || description.contains("\tat "), "stack trace leaked: " + description);
    }

    @Test
    void badRequestsGetPreciseStatusesAndDisturbNothingElse() throws Exception {
        Recording recording = new Recording(0);
        try (ReceiverSession healthy = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording)) {
            assertTrue(healthy.awaitConnected(Duration.ofSeconds(20)), stack.logs());
            long start = System.nanoTime();
            int framesBefore = recording.frameCount();

            // Unknown session.
            assertStatus(Status.Code.NOT_FOUND, "does not exist", () -> client.speak("no-such-session", "hello"));
            assertStatus(Status.Code.NOT_FOUND, "does not exist", () -> client.negotiate("no-such-session", "v=0"));
            // Bad video options.
            assertStatus(Status.Code.INVALID_ARGUMENT, "fps", () -> client.createSession(CreateSessionRequest.newBuilder()
                    .setVideo(VideoOptions.newBuilder().setWidth(512).setHeight(512).setFps(60)).build()));

            Session s = client.createSession(CreateSessionRequest.getDefaultInstance());
            // Malformed SDP: caught by signaling's syntax check, and by the streamer's WebRTC stack.
            assertStatus(Status.Code.INVALID_ARGUMENT, "v=0", () -> client.negotiate(s.getSessionId(), "hello"));
            String noVideo = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
            assertStatus(Status.Code.INVALID_ARGUMENT, "m=video", () -> client.negotiate(s.getSessionId(), noVideo));
            String garbage = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                    + "a=garbage\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n";
            assertStatus(Status.Code.INVALID_ARGUMENT, "SDP", () -> client.negotiate(s.getSessionId(), garbage));
            // Text limits (documented in the proto: 1..2000 characters).
            var stub = FacecastGrpc.newBlockingStub(streamerFreeChannel()).withCallCredentials(new BearerCredentials(stack.apiKey));
            assertStatus(Status.Code.INVALID_ARGUMENT, "empty", () -> stub.speak(SpeakRequest.newBuilder()
                    .setSessionId(healthy.sessionId()).setText("   ").build()));
            assertStatus(Status.Code.INVALID_ARGUMENT, "2000", () -> stub.speak(SpeakRequest.newBuilder()
                    .setSessionId(healthy.sessionId()).setText("a".repeat(2001)).build()));
            // Speak on a closed session.
            client.closeSession(s.getSessionId());
            assertStatus(Status.Code.FAILED_PRECONDITION, "closed", () -> client.speak(s.getSessionId(), "hello"));
            assertEquals(SessionState.SESSION_STATE_CLOSED, client.getSession(s.getSessionId()).getState());

            // No streamer capacity: the healthy session holds one slot.
            Session a = client.createSession(CreateSessionRequest.getDefaultInstance());
            Session b = client.createSession(CreateSessionRequest.getDefaultInstance());
            assertStatus(Status.Code.RESOURCE_EXHAUSTED, "full", () -> client.createSession(CreateSessionRequest.getDefaultInstance()));
            client.closeSession(a.getSessionId());
            Session c = client.createSession(CreateSessionRequest.getDefaultInstance()); // the slot came back
            client.closeSession(b.getSessionId());
            client.closeSession(c.getSessionId());

            // None of it disturbed the healthy session: it still streams at full rate and still speaks.
            healthy.speak("Still here, and still talking.");
            assertTrue(healthy.awaitEvent(SessionEvent::hasSpeechFinished, Duration.ofSeconds(20)).isPresent(), stack.logs());
            double seconds = (System.nanoTime() - start) / 1e9;
            double fps = (recording.frameCount() - framesBefore) / seconds;
            assertTrue(fps >= 25, "healthy session fell to " + fps + " fps during the bad requests");
            assertEquals(1, inspect().getSessions(), inspect().toString());
        }
    }

    @Test
    void malformedCandidatesAndUnspeakableTextAreInvalidArgumentNotInternal() throws Exception {
        Recording recording = new Recording(0);
        try (ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording)) {
            assertTrue(session.awaitConnected(Duration.ofSeconds(20)), stack.logs());
            String id = session.sessionId();
            // The streamer's candidate grammar check answers before libwebrtc sees it (and its rtc boundary turns
            // any Error libwebrtc still throws into INVALID_ARGUMENT): never INTERNAL, never an Error on a gRPC thread.
            assertStatus(Status.Code.INVALID_ARGUMENT, "wrong number of fields", () -> client.addIceCandidate(id, "0", 0, "candidate:x y z"));
            assertStatus(Status.Code.INVALID_ARGUMENT, "empty", () -> client.addIceCandidate(id, "0", 0, ""));
            assertStatus(Status.Code.INVALID_ARGUMENT, "nothing speakable", () -> client.speak(id, "\uD83D\uDE00".repeat(10)));
            // 1,500 emoji are 1,500 characters for both processes (the renderer used to count 3,000 UTF-16 units).
            assertStatus(Status.Code.INVALID_ARGUMENT, "nothing speakable", () -> client.speak(id, "\uD83D\uDE00".repeat(1500)));
            assertFalse(stack.streamers.get(0).tail().contains("java.lang.Error"), stack.logs());
            // The session is unharmed.
            session.speak("Fine, thanks.");
            assertTrue(session.awaitEvent(SessionEvent::hasSpeechFinished, Duration.ofSeconds(20)).isPresent(), stack.logs());
        }
    }

    /** The HTTP listener's share of issue 8's list, against the real signaling process. */
    @Test
    void badHttpInputGetsTheJsonErrorBodyAndDisturbsNothing() throws Exception {
        String base = BrowserSupport.pageUrl(stack).replaceAll("/$", "");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Session s = client.createSession(CreateSessionRequest.getDefaultInstance());
        try {
            // (A WHEP PATCH that is not a trickle fragment needs a WHEP resource, i.e. a browser's offer: HttpBadInputTest.)
            // A 10 MB offer: 413 with the JSON body, no session made.
            int before = inspect().getSessions();
            var huge = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/whep"))
                    .header("Authorization", "Bearer " + stack.apiKey).header("Content-Type", "application/sdp")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("v=0\r\n" + "a=x\r\n".repeat(2_000_000))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(413, huge.statusCode(), huge.body());
            assertTrue(huge.body().startsWith("{\"code\":"), huge.body());
            assertEquals(before, inspect().getSessions());
            // An invalid %-escape: refused by the JDK HTTP server itself (documented limitation), no stack trace.
            int port = java.net.URI.create(base).getPort();
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
                raw.setSoTimeout(5000);
                raw.getOutputStream().write(("GET /api/sessions/%zz HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(raw.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
                assertFalse(answer.contains("\tat "), answer);
            }
            // Signaling is unharmed: the session is still there and the API answers.
            assertEquals(s.getSessionId(), client.getSession(s.getSessionId()).getSessionId());
        } finally {
            client.closeSession(s.getSessionId());
        }
    }

    private static ManagedChannel plain;

    private static synchronized ManagedChannel streamerFreeChannel() {
        if (plain == null) plain = NettyChannelBuilder.forTarget(stack.signalingTarget).usePlaintext().build();
        return plain;
    }

    @Test
    void aClientThatVanishesMidSessionIsCleanedUp() throws Exception {
        Path out = Files.createTempDirectory("facecast-vanish-");
        JvmProcess cli = JvmProcess.start("vanishing-client", "client", Path.of("target", "it-logs", "bad-input"),
                List.of("--target", stack.signalingTarget, "--api-key-file", stack.apiKeyFile.toString(), "record", "--seconds", "120", "--out", out.toString()));
        try {
            StreamerInspection i = null;
            long deadline = System.nanoTime() + 30 * SECOND;
            while (System.nanoTime() < deadline) {
                i = inspect();
                if (i.getPeerConnections() >= 1) break;
                Thread.sleep(100); // waiting on another process: nothing to inject a clock into
            }
            assertNotNull(i);
            assertEquals(1, i.getPeerConnections(), "the CLI never connected:\n" + cli.tail());
        } finally {
            cli.kill(); // SIGKILL: no CloseSession, no goodbye
        }
        // Signaling notices (no event stream, peer gone) and closes the session everywhere within its grace period.
        StreamerInspection after = null;
        long deadline = System.nanoTime() + 60 * SECOND;
        while (System.nanoTime() < deadline) {
            after = inspect();
            if (after.getSessions() == 0 && after.getPeerConnections() == 0) break;
            Thread.sleep(200);
        }
        assertEquals(0, after.getSessions(), after + "\n" + stack.logs());
        assertEquals(0, after.getPeerConnections(), after.toString());
        assertEquals(0, after.getBusSubscriptions(), after.toString());
    }
}
