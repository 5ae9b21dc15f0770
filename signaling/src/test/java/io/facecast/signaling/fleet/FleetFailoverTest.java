package io.facecast.signaling.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.WatchEventsRequest;
import io.facecast.signaling.session.RendererWatch;
import io.facecast.signaling.session.SessionManager;
import io.facecast.signaling.session.StreamerLifecycle;
import io.facecast.signaling.support.EventRecorder;
import io.facecast.signaling.support.FakeStreamerServer;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Adoption on re-registration and a node renderer going down and coming back, on the real wiring (one replica). */
class FleetFailoverTest {

    static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=fake-ok\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

    SignalingHarness h;
    FacecastGrpc.FacecastBlockingStub api;

    @BeforeEach
    void start() throws Exception {
        h = new SignalingHarness();
        api = h.facecast();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    String createNegotiated() {
        String id = api.createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        api.negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build());
        return id;
    }

    EventRecorder watch(String id) throws InterruptedException {
        EventRecorder recorder = new EventRecorder();
        h.facecastAsync().watchEvents(WatchEventsRequest.newBuilder().setSessionId(id).build(), recorder);
        recorder.next(); // the current state
        return recorder;
    }

    SessionState state(String id) {
        return api.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getState();
    }

    @Test
    void reRegistrationListingItsSessionsAdoptsThemAndClosesOnlyTheUnknownOnes() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 2);
        String kept = createNegotiated();
        String lost = createNegotiated();
        EventRecorder keptEvents = watch(kept);
        EventRecorder lostEvents = watch(lost);

        // The streamer registers again (say signaling lost its connection) still holding `kept` and one session
        // nobody knows; it no longer holds `lost`.
        h.register("s1", 2, List.of(kept, "ghost-session"));
        s1.awaitSubscriptions(1);

        assertEquals(SessionState.SESSION_STATE_CONNECTING, state(kept), "adopted, not closed");
        assertFalse(keptEvents.hasPending(), "nothing was said to the adopted session's watcher");
        assertEquals("UNAVAILABLE", lostEvents.next().getError().getCode());
        assertEquals(SessionState.SESSION_STATE_FAILED, lostEvents.next().getStateChanged().getState());
        awaitTrue(() -> h.log.all().contains("s1 CloseSession ghost-session"), "the unknown session is closed on the streamer");
        assertFalse(h.log.all().contains("s1 CloseSession " + kept));

        // The adopted session is served by the new registration: its events arrive, speech works, its slot counts.
        s1.emitState(kept, SessionState.SESSION_STATE_CONNECTED, "peer connected");
        assertEquals(SessionState.SESSION_STATE_CONNECTED, keptEvents.next().getStateChanged().getState());
        api.speak(SpeakRequest.newBuilder().setSessionId(kept).setText("still here").build());
        assertEquals(1, h.get(io.facecast.signaling.placement.StreamerRegistry.class).fleet().slotsUsed("s1"));
    }

    @Test
    void rendererDownTellsTheSessionsAndRendererBackReopensThemSoSpeechWorksAgain() throws Exception {
        h.addStreamer("s1", 2);
        String id = createNegotiated();
        EventRecorder events = watch(id);
        AtomicBoolean answers = new AtomicBoolean(true);
        RendererWatch probe = new RendererWatch(h.get(StreamerLifecycle.class), h.get(SessionManager.class),
                address -> answers.get() ? RendererWatch.Probe.ANSWERS : RendererWatch.Probe.REFUSED);
        probe.runOnce();
        assertFalse(events.hasPending(), "an answering renderer is not news");

        answers.set(false);
        h.renderer.openSessions.clear(); // the renderer died: it forgot every session
        h.renderer.strictSessions = true;
        probe.runOnce();
        SessionEvent error = events.next();
        assertEquals("UNAVAILABLE", error.getError().getCode());
        assertTrue(error.getError().getMessage().startsWith("speech is unavailable"), error.getError().getMessage());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, state(id), "the session stays open");
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> api.speak(SpeakRequest.newBuilder().setSessionId(id).setText("hello").build()));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("try again in a few seconds"));

        answers.set(true);
        probe.runOnce();
        assertTrue(h.renderer.openSessions.contains(id), "opened on the restarted renderer again");
        assertEquals("/tmp/bus-s1", h.renderer.opened.get(id).getBusPath());
        SessionEvent back = events.next();
        assertTrue(back.getStateChanged().getReason().contains("speech is available again"), back.toString());
        api.speak(SpeakRequest.newBuilder().setSessionId(id).setText("hello again").build());
        assertEquals("hello again", h.renderer.spoken.get(h.renderer.spoken.size() - 1).getText());
    }

    @Test
    void aRendererThatOnlyMissesDeadlinesIsDownAfterThreeAndBackWithoutLosingItsSessions() throws Exception {
        h.addStreamer("s1", 2);
        String id = createNegotiated();
        EventRecorder events = watch(id);
        h.renderer.strictSessions = true;
        java.util.concurrent.atomic.AtomicReference<RendererWatch.Probe> result =
                new java.util.concurrent.atomic.AtomicReference<>(RendererWatch.Probe.ANSWERS);
        RendererWatch probe = new RendererWatch(h.get(StreamerLifecycle.class), h.get(SessionManager.class),
                address -> result.get());
        probe.runOnce();
        result.set(RendererWatch.Probe.SILENT);
        for (int i = 1; i < RendererWatch.SILENT_PROBES_BEFORE_DOWN; i++) {
            probe.runOnce();
            assertFalse(events.hasPending(), "a late probe on a busy machine is not news (" + i + ")");
        }
        result.set(RendererWatch.Probe.ANSWERS); // an answer in between starts the count again
        probe.runOnce();
        result.set(RendererWatch.Probe.SILENT);
        for (int i = 1; i < RendererWatch.SILENT_PROBES_BEFORE_DOWN; i++) {
            probe.runOnce();
        }
        assertFalse(events.hasPending());
        probe.runOnce();
        assertTrue(events.next().getError().getMessage().startsWith("speech is unavailable"));

        result.set(RendererWatch.Probe.ANSWERS); // it was only slow: it still holds the session (ALREADY_EXISTS)
        probe.runOnce();
        SessionEvent back = events.next();
        assertTrue(back.getStateChanged().getReason().contains("speech is available again"), back.toString());
        api.speak(SpeakRequest.newBuilder().setSessionId(id).setText("still mine").build());
        assertEquals("still mine", h.renderer.spoken.get(h.renderer.spoken.size() - 1).getText());
    }

    @Test
    void aRendererThatForgotTheSessionGetsItOpenedAgainOnTheNextSpeak() throws Exception {
        h.addStreamer("s1", 2);
        String id = createNegotiated();
        h.renderer.strictSessions = true;
        h.renderer.openSessions.clear(); // restarted between two probes
        api.speak(SpeakRequest.newBuilder().setSessionId(id).setText("no 404").build());
        assertTrue(h.renderer.openSessions.contains(id));
        assertEquals(List.of("renderer OpenSession " + id, "renderer OpenSession " + id),
                h.log.matching("renderer OpenSession"));
        assertEquals("no 404", h.renderer.spoken.get(0).getText());
    }

    @Test
    void shuttingDownTellsEveryWatcherToReconnectElsewhere() throws Exception {
        h.addStreamer("s1", 2);
        String id = createNegotiated();
        EventRecorder events = watch(id);
        h.sessions().drainWatchers();
        assertFalse(events.awaitCompleted(), "ended with a status, not completed");
        Status status = Status.fromThrowable(events.error());
        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertTrue(status.getDescription().contains("call WatchEvents again"), status.getDescription());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, state(id), "the session itself goes on");
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(10);
        }
    }
}
