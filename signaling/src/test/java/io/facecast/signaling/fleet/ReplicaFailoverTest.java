package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.SpeechFinished;
import io.facecast.api.v1.WatchEventsRequest;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.support.Bearer;
import io.facecast.signaling.support.CallLog;
import io.facecast.signaling.support.EventRecorder;
import io.facecast.signaling.support.FakeRendererServer;
import io.facecast.signaling.support.FakeStreamerServer;
import io.facecast.signaling.support.RedisPerClass;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The signaling side of a streamer's failover (streamer/.../SignalingRegistration): the replica a streamer registered
 * with dies, the streamer registers with another one listing its live sessions, and that replica adopts them and
 * takes over the event relay (it pumps the streamer's event stream and publishes into the fleet's pub/sub), before
 * the 3 s heartbeat rule would have failed them. Two replicas on one real redis-server, fleet time injected; the
 * streamer and its node's renderer live outside either replica's harness, so they outlive replica A.
 */
class ReplicaFailoverTest {

    static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=fake-ok\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    final AtomicLong millis = new AtomicLong(7_000_000);
    final ApiKey key = ApiKey.generate(new SecureRandom());
    final CallLog log = new CallLog();
    final FakeStreamerServer streamer = new FakeStreamerServer("s1", log);
    final FakeRendererServer renderer = new FakeRendererServer(log);
    final String streamerAddress = InProcessServerBuilder.generateName() + "-s1:50071";
    final String rendererAddress = InProcessServerBuilder.generateName() + "-renderer-1:50061";
    Server streamerServer;
    Server rendererServer;
    SignalingHarness a;
    SignalingHarness b;
    boolean aDead;

    @BeforeEach
    void start() throws Exception {
        streamerServer = InProcessServerBuilder.forName(streamerAddress).addService(streamer).build().start();
        rendererServer = InProcessServerBuilder.forName(rendererAddress).addService(renderer).build().start();
        AuthOptions auth = AuthOptions.withKeys(List.of(key)).withLimits(1000, 1e6, 1_000_000);
        a = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
        b = new SignalingHarness(false, auth, new RedisFleetState(redis.uri(), millis::get));
    }

    @AfterEach
    void stop() {
        if (!aDead) {
            a.close();
        }
        b.close();
        streamerServer.shutdownNow();
        rendererServer.shutdownNow();
    }

    RegisterStreamerRequest registration(List<String> live) {
        return RegisterStreamerRequest.newBuilder().setStreamerId("s1").setNodeId("node-1")
                .setControlAddress(streamerAddress).setRendererAddress(rendererAddress).setBusPath("/tmp/bus-s1")
                .setMaxSessions(4).addAllLiveSessions(live).build();
    }

    FacecastGrpc.FacecastBlockingStub api(SignalingHarness replica) {
        return replica.facecastAs(key.value());
    }

    EventRecorder watch(SignalingHarness replica, String id) {
        EventRecorder recorder = new EventRecorder();
        FacecastGrpc.newStub(replica.channel()).withCallCredentials(Bearer.of(key.value()))
                .watchEvents(WatchEventsRequest.newBuilder().setSessionId(id).build(), recorder);
        return recorder;
    }

    static SessionState nextState(EventRecorder events) throws InterruptedException {
        SessionEvent e;
        do {
            e = events.next();
        } while (!e.hasStateChanged());
        return e.getStateChanged().getState();
    }

    @Test
    void aStreamerWhoseReplicaDiedRegistersWithTheOtherWhichAdoptsItsSessionsAndRelaysItsEvents() throws Exception {
        a.registryAs("streamer/s1").registerStreamer(registration(List.of()));
        streamer.awaitSubscriptions(1); // A pumps its events
        String id = api(a).createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        api(a).negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build());
        EventRecorder atB = watch(b, id);
        assertEquals(SessionState.SESSION_STATE_CONNECTING, nextState(atB));
        streamer.emitState(id, SessionState.SESSION_STATE_CONNECTED, "peer connected");
        assertEquals(SessionState.SESSION_STATE_CONNECTED, nextState(atB), "relayed by A, through Redis");

        // A dies 2 s after the streamer's last heartbeat there; the streamer registers with B at once, listing the
        // session it holds.
        millis.addAndGet(2_000);
        a.close();
        aDead = true;
        b.registryAs("streamer/s1").registerStreamer(registration(List.of(id)));
        streamer.awaitSubscriptions(1); // B pumps its events now

        // 4 s after the last heartbeat at A: past the 3 s rule, but the registration at B is 2 s old.
        millis.addAndGet(2_000);
        b.reaper().runOnce();
        assertTrue(b.get(StreamerRegistry.class).fleet().streamer("s1").isPresent(), "s1 is not declared dead");
        assertEquals(SessionState.SESSION_STATE_CONNECTED,
                api(b).getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getState(), "adopted, not FAILED");
        assertEquals(1, b.get(StreamerRegistry.class).fleet().slotsUsed("s1"), "its slot is kept");
        assertFalse(atB.hasPending(), "no Error, no FAILED: " + (atB.hasPending() ? atB.next() : ""));
        assertTrue(log.matching("CloseSession").isEmpty(), "nothing closed on the streamer: " + log.all());

        // Control goes on through B, and the streamer's events reach B's watcher through B's relay.
        long u = api(b).speak(SpeakRequest.newBuilder().setSessionId(id).setText("still here").build()).getUtteranceId();
        assertEquals("still here", renderer.spoken.get(renderer.spoken.size() - 1).getText(), "on the node's renderer");
        streamer.emit(SessionEvent.newBuilder().setSessionId(id).setTimestampUs(2)
                .setSpeechFinished(SpeechFinished.newBuilder().setUtteranceId(u).setDurationMs(900)).build());
        SessionEvent finished = atB.next();
        assertTrue(finished.hasSpeechFinished(), finished.toString());
        assertEquals(u, finished.getSpeechFinished().getUtteranceId());

        // And the heartbeats that follow keep it alive there.
        millis.addAndGet(Duration.ofSeconds(1).toMillis());
        assertTrue(b.registryAs("streamer/s1").heartbeat(io.facecast.internal.v1.HeartbeatRequest.newBuilder()
                .setStreamerId("s1").setActiveSessions(1).setLoad(0.1f).build()).getKnown());
    }
}
