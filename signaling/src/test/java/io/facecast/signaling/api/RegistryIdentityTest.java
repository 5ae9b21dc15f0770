package io.facecast.signaling.api;

import static io.facecast.signaling.api.FacecastServiceTest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.SessionState;
import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.signaling.support.FakeStreamerServer;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry hijack of issue 8, refused: the registry lives on the internal port only, admits streamer identities
 * only, a streamer registers and heartbeats only as the id its certificate names, and a live registration is bound
 * to the certificate that made it.
 */
class RegistryIdentityTest {

    private SignalingHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SignalingHarness();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static RegisterStreamerRequest registration(String id, String address) {
        return RegisterStreamerRequest.newBuilder()
                .setStreamerId(id).setControlAddress(address).setBusPath("/tmp/bus-evil").setMaxSessions(8).build();
    }

    private SessionState state(String sessionId) {
        return h.facecast().getSession(GetSessionRequest.newBuilder().setSessionId(sessionId).build()).getState();
    }

    @Test
    void theRegistryIsNotOnThePublicPort() {
        assertStatus(Status.Code.UNIMPLEMENTED, "Registry", () -> h.publicRegistry().registerStreamer(registration("s1", "127.0.0.1:1")));
    }

    @Test
    void withoutAnIdentityOrWithAnotherRoleTheRegistryRefuses() {
        assertStatus(Status.Code.UNAUTHENTICATED, "fleet certificate",
                () -> h.registry().registerStreamer(registration("s1", "127.0.0.1:1")));
        assertStatus(Status.Code.PERMISSION_DENIED, "spiffe://facecast/renderer/renderer may not call facecast.internal.v1.Registry",
                () -> h.registryAs("renderer/renderer").registerStreamer(registration("s1", "127.0.0.1:1")));
        assertStatus(Status.Code.UNAUTHENTICATED, "fleet certificate",
                () -> h.registry().heartbeat(HeartbeatRequest.newBuilder().setStreamerId("s1").build()));
    }

    @Test
    void aStreamerCertificateClaimingAnotherIdIsRefusedAndTheRealStreamersSessionsGoOn() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 4);
        String session = h.facecast().createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();

        assertStatus(Status.Code.PERMISSION_DENIED, "may register and heartbeat only as streamer 'intruder', not 's1'",
                () -> h.registry("intruder").registerStreamer(registration("s1", h.streamerAddress("intruder"))));
        assertStatus(Status.Code.PERMISSION_DENIED, "only as streamer 'intruder'",
                () -> h.registry("intruder").heartbeat(HeartbeatRequest.newBuilder().setStreamerId("s1").build()));

        assertEquals(SessionState.SESSION_STATE_NEW, state(session), "the real streamer's session is untouched");
        assertTrue(s1.openSessions.contains(session));
        assertTrue(s1.subscriptions.isEmpty(), "its event stream was not replaced");
    }

    @Test
    void aSecondCertificateForALiveIdWaitsUntilTheLiveOneStopsAndCannotKeepItAlive() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 4);
        String session = h.facecast().createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();

        assertStatus(Status.Code.PERMISSION_DENIED, "registered and alive under another certificate",
                () -> h.registryAs("streamer/s1#copied").registerStreamer(registration("s1", h.streamerAddress("s1"))));
        assertFalse(h.registryAs("streamer/s1#copied").heartbeat(
                HeartbeatRequest.newBuilder().setStreamerId("s1").build()).getKnown(), "its heartbeats count for nothing");
        assertEquals(SessionState.SESSION_STATE_NEW, state(session));

        // The real streamer stops: the other certificate's heartbeats did not keep its registration alive.
        h.time.advance(SignalingHarness.HEARTBEAT.multipliedBy(4));
        h.reaper().runOnce();
        assertEquals(SessionState.SESSION_STATE_FAILED, state(session));
        // Now the id is free, and a replacement streamer (say, with a re-issued certificate) may take it.
        h.registryAs("streamer/s1#reissued").registerStreamer(registration("s1", h.streamerAddress("s1")));
        s1.awaitSubscriptions(1);
        assertTrue(h.registryAs("streamer/s1#reissued").heartbeat(
                HeartbeatRequest.newBuilder().setStreamerId("s1").build()).getKnown());
    }

    @Test
    void theSameCertificateMayRegisterAgainAsARestartedStreamerDoes() throws Exception {
        h.addStreamer("s1", 4);
        h.register("s1", 4);
        assertTrue(h.registry("s1").heartbeat(HeartbeatRequest.newBuilder().setStreamerId("s1").build()).getKnown());
    }

    @Test
    void controlAddressMustBeAPlainHostPort() {
        for (String address : new String[] {"unix:///run/x:1", "dns:///evil:443", "user@host:1", "host/path:1", "host:0", "host:"}) {
            assertStatus(Status.Code.INVALID_ARGUMENT, "is not host:port",
                    () -> h.registry("s9").registerStreamer(registration("s9", address)));
        }
    }
}
