package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CloseSessionRequest;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.WatchEventsRequest;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.support.Bearer;
import io.facecast.signaling.support.EventRecorder;
import io.facecast.signaling.support.FakeStreamerServer;
import io.facecast.signaling.support.RedisPerClass;
import io.facecast.signaling.support.SignalingHarness;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two signaling replicas (the real wiring each) sharing one real redis-server: any replica serves any call, events
 * of a session reach its watchers on every replica, and a streamer whose heartbeats lapse is failed by whichever
 * replica notices. Fleet time is injected; only the pub/sub hop is waited for.
 */
class TwoReplicasTest {

    static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=fake-ok\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    final AtomicLong millis = new AtomicLong(5_000_000);
    final ApiKey key = ApiKey.generate(new SecureRandom());
    SignalingHarness a;
    SignalingHarness b;

    @BeforeEach
    void start() throws Exception {
        AuthOptions auth = AuthOptions.withKeys(List.of(key)).withLimits(1000, 1e6, 1_000_000);
        a = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
        b = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    FacecastGrpc.FacecastBlockingStub api(SignalingHarness replica) {
        return replica.facecastAs(key.value());
    }

    EventRecorder watch(SignalingHarness replica, String id) throws InterruptedException {
        EventRecorder recorder = new EventRecorder();
        FacecastGrpc.newStub(replica.channel()).withCallCredentials(Bearer.of(key.value()))
                .watchEvents(WatchEventsRequest.newBuilder().setSessionId(id).build(), recorder);
        return recorder;
    }

    @Test
    void createThroughANegotiateSpeakWatchAndCloseThroughB() throws Exception {
        FakeStreamerServer s1 = a.addStreamer("s1", 4);
        String id = api(a).createSession(CreateSessionRequest.newBuilder().setAvatar("ada").build()).getSessionId();
        EventRecorder atA = watch(a, id);
        EventRecorder atB = watch(b, id);
        assertEquals(SessionState.SESSION_STATE_NEW, atA.next().getStateChanged().getState());
        assertEquals(SessionState.SESSION_STATE_NEW, atB.next().getStateChanged().getState());
        assertEquals("s1", api(b).getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getStreamerId());
        assertEquals("ada", api(b).getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getAvatar());

        // Negotiate through B: B reaches the streamer registered with A itself.
        api(b).negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, atB.next().getStateChanged().getState());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, atA.next().getStateChanged().getState(), "fanned out to A");

        // The streamer's event stream is pumped by A (it registered there); B's watcher gets the event too.
        s1.emitState(id, SessionState.SESSION_STATE_CONNECTED, "peer connected");
        assertEquals(SessionState.SESSION_STATE_CONNECTED, atA.next().getStateChanged().getState());
        assertEquals(SessionState.SESSION_STATE_CONNECTED, atB.next().getStateChanged().getState());

        long first = api(b).speak(SpeakRequest.newBuilder().setSessionId(id).setText("through B").build()).getUtteranceId();
        long second = api(a).speak(SpeakRequest.newBuilder().setSessionId(id).setText("through A").build()).getUtteranceId();
        assertEquals(List.of(1L, 2L), List.of(first, second), "one utterance numbering across replicas");
        assertEquals("through B", b.renderer.spoken.get(0).getText());

        api(b).closeSession(CloseSessionRequest.newBuilder().setSessionId(id).build());
        SessionEvent closedAtA = atA.next();
        assertEquals(SessionState.SESSION_STATE_CLOSED, closedAtA.getStateChanged().getState());
        assertTrue(atA.awaitCompleted());
        assertTrue(atB.awaitCompleted());
        assertTrue(s1.openSessions.isEmpty(), "closed on the streamer once");
        assertEquals(0, a.get(io.facecast.signaling.placement.StreamerRegistry.class).fleet().slotsUsed("s1"));
    }

    @Test
    void aStreamerWhoseHeartbeatsLapseIsFailedOnEveryReplicasWatchers() throws Exception {
        a.addStreamer("s1", 4);
        String id = api(b).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        EventRecorder atA = watch(a, id);
        atA.next();

        millis.addAndGet(Duration.ofSeconds(4).toMillis()); // past the 3 s TTL (1 s heartbeat x 3)
        b.reaper().runOnce(); // B notices first (A is not alive in Redis, and s1 does not answer a probe)
        SessionEvent error = atA.next();
        assertEquals("UNAVAILABLE", error.getError().getCode());
        assertTrue(error.getError().getMessage().contains("stopped sending heartbeats"), error.getError().getMessage());
        assertEquals(SessionState.SESSION_STATE_FAILED, atA.next().getStateChanged().getState());
        assertTrue(atA.awaitCompleted());
        assertTrue(b.get(io.facecast.signaling.placement.StreamerRegistry.class).fleet().streamers().isEmpty(),
                "its keys are gone");
    }

    @Test
    void afterRedisRestartsEmptyTheReplicasWriteBackWhatTheyKnowAndCarryOn() throws Exception {
        FakeStreamerServer s1 = a.addStreamer("s1", 4);
        String id = api(a).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        api(a).negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build());
        assertEquals(1, api(a).speak(SpeakRequest.newBuilder().setSessionId(id).setText("before").build()).getUtteranceId());
        EventRecorder atB = watch(b, id);
        atB.next();

        redis.kill();
        redis.start(); // empty: nothing was saved
        FleetState fleet = a.get(io.facecast.signaling.placement.StreamerRegistry.class).fleet();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                a.reaper().runOnce(); // notices the lost data and writes back its streamer and sessions
                break;
            } catch (io.grpc.StatusRuntimeException e) {
                assertEquals(io.grpc.Status.Code.UNAVAILABLE, e.getStatus().getCode());
                assertTrue(System.nanoTime() < deadline, "Redis came back but the replica did not reconnect");
                Thread.sleep(50);
            }
        }
        assertTrue(fleet.streamer("s1").isPresent(), "the streamer's record is back");
        assertTrue(fleet.session(id).isPresent(), "the session's record is back");
        assertEquals(1, fleet.slotsUsed("s1"), "and its slot");

        // B serves the session again (a fresh load from the rewritten record), with utterance ids going on.
        assertEquals(2L, (long) RedisFleetStateTest.whenReconnected(() -> api(b).speak(
                SpeakRequest.newBuilder().setSessionId(id).setText("after").build()).getUtteranceId()));
        // Events still cross replicas (both resubscribed by themselves).
        List<SessionEvent> seen = new java.util.ArrayList<>();
        boolean connected = false;
        for (int i = 0; i < 100 && !connected; i++) {
            s1.emitState(id, SessionState.SESSION_STATE_CONNECTED, "peer connected");
            SessionEvent event = atB.poll(100);
            if (event != null) {
                seen.add(event);
                connected = event.getStateChanged().getState() == SessionState.SESSION_STATE_CONNECTED;
            }
        }
        assertTrue(connected, "B's watcher got: " + seen);
    }

    @Test
    void aViewMadeAnewWhileRedisWasEmptyIsTheOneItsSessionsCallThrough() throws Exception {
        FakeStreamerServer s1 = a.addStreamer("s1", 4);
        String id = api(a).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        api(b).negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build()); // B's view of s1

        redis.kill();
        redis.start(); // empty
        // B passes first: s1's record is not back yet, so B drops its view of s1 and shuts that channel down.
        RedisFleetStateTest.whenReconnected(() -> b.reaper().runOnce());
        RedisFleetStateTest.whenReconnected(() -> a.reaper().runOnce()); // A writes back s1 (same registration id)

        api(b).closeSession(CloseSessionRequest.newBuilder().setSessionId(id).build());
        for (long deadline = System.nanoTime() + 5_000_000_000L; s1.openSessions.contains(id); Thread.sleep(20)) {
            assertTrue(System.nanoTime() < deadline, "B's close reached the streamer over a live channel");
        }
    }
}
