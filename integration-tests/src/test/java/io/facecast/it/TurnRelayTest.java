package io.facecast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.IceServer;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverFactories;
import io.facecast.rtc.IcePolicy;
import io.facecast.rtc.IceServerConfig;
import io.facecast.rtc.MediaListener;
import io.facecast.rtc.PeerListener;
import io.facecast.rtc.PeerState;
import io.facecast.rtc.ReceivingPeer;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURN proven with Debian's coturn on loopback: signaling mints per-session TURN REST credentials from coturn's
 * shared secret and tells streamers to gather relay candidates only; the receivers (a webrtc-java peer, then
 * Chromium through the demo page) are relay-only too, so any media that arrives has gone through coturn.
 */
class TurnRelayTest {
    static final String SECRET = "it-turn-secret";
    static Coturn coturn;
    static LocalStack stack;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Coturn.require();
        Path logs = Path.of("target", "it-logs", "turn");
        coturn = Coturn.start(SECRET, logs);
        stack = LocalStack.start("turn", 1, 2, Duration.ofSeconds(10), List.of("--http-port", "0", "--session-token-ttl", "10m",
                "--turn-url", coturn.url(), "--turn-secret", SECRET, "--ice-transport-policy", "relay"));
        base = BrowserSupport.pageUrl(stack);
        BrowserSupport.awaitStreamer(base, stack.apiKey);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) stack.close();
        if (coturn != null) coturn.close();
    }

    @Test
    void javaClientReceivesThroughCoturnWithPerSessionCredentials() throws Exception {
        try (FacecastClient client = stack.client()) {
            long before = Instant.now().getEpochSecond();
            Session session = client.createSession(CreateSessionRequest.getDefaultInstance());
            String id = session.getSessionId();
            IceServer turn = session.getIceServersList().stream()
                    .filter(s -> s.getUrlsList().contains(coturn.url())).findFirst().orElseThrow();
            // TURN REST: "<expiry>:<session id>". The credentials live no longer than access to the session: they
            // expire with the session token (--session-token-ttl 10m here), not an hour flat.
            String[] user = turn.getUsername().split(":", 2);
            assertEquals(id, user[1]);
            long expiry = Long.parseLong(user[0]);
            assertTrue(expiry >= before + 600 && expiry <= Instant.now().getEpochSecond() + 600, turn.getUsername());
            String claims = new String(java.util.Base64.getUrlDecoder().decode(session.getSessionToken().split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher exp = java.util.regex.Pattern.compile("\"exp\":(\\d+)").matcher(claims);
            assertTrue(exp.find(), claims);
            assertTrue(Math.abs(Long.parseLong(exp.group(1)) - expiry) <= 2, "TURN expiry " + expiry + " vs token " + claims);
            assertFalse(turn.getCredential().isEmpty());

            List<IceServerConfig> ice = List.of(new IceServerConfig(turn.getUrlsList(), turn.getUsername(), turn.getCredential()));
            AtomicLong frames = new AtomicLong();
            AtomicLong audioChunks = new AtomicLong();
            CountDownLatch connected = new CountDownLatch(1);
            MediaListener media = new MediaListener() {
                @Override public void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos) { frames.incrementAndGet(); }
                @Override public void onAudio(byte[] pcm, int sampleRate, long arrivalNanos) { audioChunks.incrementAndGet(); }
            };
            List<String[]> early = new ArrayList<>();
            boolean[] negotiated = {false};
            PeerListener listener = new PeerListener() {
                @Override public void onLocalCandidate(String mid, int index, String candidate) {
                    synchronized (early) {
                        if (!negotiated[0]) { early.add(new String[]{mid, Integer.toString(index), candidate}); return; }
                    }
                    client.addIceCandidate(id, mid, index, candidate);
                }
                @Override public void onConnectionState(PeerState state) {
                    if (state == PeerState.CONNECTED) connected.countDown();
                }
            };
            try (ReceivingPeer peer = new ReceivingPeer(ReceiverFactories.shared(), ice, IcePolicy.RELAY, listener, media,
                    System::nanoTime);
                 FacecastClient.EventSubscription events = client.watchEvents(id, new StreamObserver<>() {
                     @Override public void onNext(SessionEvent e) {
                         if (e.hasIceCandidate()) {
                             try {
                                 peer.addRemoteCandidate(e.getIceCandidate().getSdpMid(), e.getIceCandidate().getSdpMlineIndex(),
                                         e.getIceCandidate().getCandidate());
                             } catch (Exception ex) {
                                 throw new IllegalStateException(ex);
                             }
                         }
                     }
                     @Override public void onError(Throwable t) {}
                     @Override public void onCompleted() {}
                 })) {
                String answer = client.negotiate(id, peer.createOffer());
                peer.setAnswer(answer);
                List<String[]> toSend;
                synchronized (early) { negotiated[0] = true; toSend = List.copyOf(early); }
                for (String[] c : toSend) client.addIceCandidate(id, c[0], Integer.parseInt(c[1]), c[2]);

                // The streamer was told relay-only: its answer offers nothing but relay candidates.
                List<String> candidates = answer.lines().filter(l -> l.startsWith("a=candidate:")).toList();
                assertFalse(candidates.isEmpty(), "answer has no candidates:\n" + answer);
                assertTrue(candidates.stream().allMatch(l -> l.contains(" typ relay")), "non-relay candidate:\n" + candidates);

                assertTrue(connected.await(20, TimeUnit.SECONDS), "relay-only peer did not connect:\n" + stack.logs()
                        + "\n---- coturn\n" + coturn.logText());
                long f0 = frames.get(), a0 = audioChunks.get(), t0 = System.nanoTime();
                Thread.sleep(2000); // real media through a real relay: the stream is the clock
                double seconds = (System.nanoTime() - t0) / 1e9;
                double fps = (frames.get() - f0) / seconds;
                double chunksPerSecond = (audioChunks.get() - a0) / seconds;
                System.out.printf("[figures] relay-only java receiver: %.1f fps, %.0f audio chunks/s%n", fps, chunksPerSecond);
                assertTrue(fps >= 25, "video through TURN at " + fps + " fps");
                assertTrue(chunksPerSecond >= 90, "audio through TURN at " + chunksPerSecond + " chunks/s");
            } finally {
                client.closeSession(id);
            }
            // coturn saw an allocation authenticated with this session's REST username.
            assertTrue(coturn.logText().contains(turn.getUsername()), "coturn log does not mention " + turn.getUsername());
        }
    }

    /**
     * The meter as README tells users to check a deployment through TURN: {@code --link-ice} (the TURN servers and
     * this session's credentials from the WHEP answer's Link headers) and {@code --relay} (relayed candidates only),
     * against streamers that gather relay candidates only: whatever it reports went through coturn both ways.
     */
    @Test
    void meterOverRelayOnlyReportsFirstFrameAndFps() throws Exception {
        GstReceiver.require();
        String whep = base + "whep";
        long allocationsBefore = allocations();
        JsonObject r = MeterTest.meter(stack, "relay", whep, "--link-ice", "--relay", "--no-speak", "--seconds", "4");
        System.out.println("[figures] meter over TURN (relay only): first frame " + r.get("first_frame_ms")
                + " ms, fps " + r.get("fps") + ", player " + r.get("player") + ", audio " + r.get("audio"));
        JsonObject player = r.getAsJsonObject("player");
        assertTrue(player.get("relay_only").getAsBoolean(), r.toString());
        assertTrue(player.get("ice_servers").getAsInt() >= 1, "the meter used the Link headers' TURN server: " + r);
        double firstFrame = r.get("first_frame_ms").getAsDouble();
        assertTrue(firstFrame > 0 && firstFrame <= 5000, "first frame " + firstFrame + " ms after the POST");
        assertTrue(r.get("fps").getAsDouble() >= 20, "delivered fps over TURN " + r.get("fps"));
        // TURN on loopback: libnice must gather on 127.0.0.1 to reach it (see the meter's gather_on).
        assertEquals("[\"127.0.0.1\"]", player.get("local_addresses").toString());
        // The withdrawn first offer's session and the measured one each got a streamer allocation; the third is
        // the meter's own.
        long allocations = allocations() - allocationsBefore;
        assertTrue(allocations >= 3, allocations + " new TURN allocations; coturn log:\n" + coturn.logText());
    }

    private static long allocations() throws java.io.IOException {
        return coturn.logText().lines().filter(l -> l.contains("ALLOCATE processed, success")).count();
    }

    @Test
    void chromiumPageReceivesThroughCoturnRelayOnly() throws Exception {
        BrowserSupport.requireBrowser();
        Path shot = Path.of("target", "browser", "demo-page-turn.png").toAbsolutePath();
        JsonObject r = BrowserSupport.runPageCheck(base + "#key=" + stack.apiKey, shot, true,
                Path.of("target", "it-logs", "turn", "page-check.log"));
        System.out.println("[figures] chromium page over TURN: " + r);
        System.out.println("[screenshot] " + shot);
        PageAssertions.assertPageWorked(r, stack);
        JsonObject stats = r.getAsJsonObject("stats");
        assertEquals("relay", stats.get("localCandidateType").getAsString(), "selected pair " + stats);
        assertEquals("relay", stats.get("remoteCandidateType").getAsString(), "selected pair " + stats);
    }
}
