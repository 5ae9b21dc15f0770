package io.facecast.signaling.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.AddIceCandidateRequest;
import io.facecast.api.v1.CloseSessionRequest;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.InterruptRequest;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.SpeechStarted;
import io.facecast.api.v1.VideoOptions;
import io.facecast.api.v1.WatchEventsRequest;
import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.signaling.support.EventRecorder;
import io.facecast.signaling.support.FakeStreamerServer;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FacecastServiceTest {

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

    // ---------- helpers ----------

    Session create() {
        return api.createSession(CreateSessionRequest.getDefaultInstance());
    }

    Session createNegotiated() {
        Session session = create();
        api.negotiate(NegotiateRequest.newBuilder().setSessionId(session.getSessionId()).setSdpOffer(OFFER).build());
        return session;
    }

    EventRecorder watch(String sessionId) {
        EventRecorder recorder = new EventRecorder();
        h.facecastAsync().watchEvents(WatchEventsRequest.newBuilder().setSessionId(sessionId).build(), recorder);
        return recorder;
    }

    static StatusRuntimeException assertStatus(Status.Code code, String messageFragment, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), "code; message was: " + e.getStatus().getDescription());
        String message = e.getStatus().getDescription();
        assertTrue(message != null && message.contains(messageFragment),
                "expected message containing '" + messageFragment + "' but was '" + message + "'");
        assertFalse(message.contains("Exception") || message.contains("\tat "), "no stack trace leaks: " + message);
        return e;
    }

    SpeakRequest speak(String id, String text) {
        return SpeakRequest.newBuilder().setSessionId(id).setText(text).build();
    }

    // ---------- create ----------

    @Test
    void createWithoutStreamersIsUnavailable() {
        assertStatus(Status.Code.UNAVAILABLE, "no streamer is registered", this::create);
    }

    @Test
    void createOpensOnStreamerBeforeRendererAndReturnsNewSession() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 4);
        Session session = create();

        assertEquals(SessionState.SESSION_STATE_NEW, session.getState());
        assertEquals("s1", session.getStreamerId());
        assertEquals("default", session.getAvatar());
        assertEquals("kevin", session.getVoice());
        assertEquals(VideoOptions.newBuilder().setWidth(512).setHeight(512).setFps(30).build(), session.getVideo());
        assertEquals(List.of("s1 OpenSession " + session.getSessionId(), "renderer OpenSession " + session.getSessionId()),
                h.log.matching("OpenSession"));
        assertEquals("/tmp/bus-s1", h.renderer.opened.get(session.getSessionId()).getBusPath());
        assertEquals(512, s1.opened.get(session.getSessionId()).getMedia().getWidth());
        // a random UUID
        assertEquals(36, session.getSessionId().length());
    }

    @Test
    void videoOptionsAreValidatedWithTheOffendingValue() throws Exception {
        h.addStreamer("s1", 4);
        assertStatus(Status.Code.INVALID_ARGUMENT, "video.width 63", () -> api.createSession(
                CreateSessionRequest.newBuilder().setVideo(VideoOptions.newBuilder().setWidth(63)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "video.height 1921", () -> api.createSession(
                CreateSessionRequest.newBuilder().setVideo(VideoOptions.newBuilder().setHeight(1921)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "video.width 101 is odd", () -> api.createSession(
                CreateSessionRequest.newBuilder().setVideo(VideoOptions.newBuilder().setWidth(101)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "video.fps 60", () -> api.createSession(
                CreateSessionRequest.newBuilder().setVideo(VideoOptions.newBuilder().setFps(60)).build()));
        assertTrue(h.log.matching("OpenSession").isEmpty(), "nothing opened for invalid options");

        Session session = api.createSession(CreateSessionRequest.newBuilder()
                .setVideo(VideoOptions.newBuilder().setWidth(640).setHeight(360).setFps(25)).build());
        assertEquals(VideoOptions.newBuilder().setWidth(640).setHeight(360).setFps(25).build(), session.getVideo());
    }

    @Test
    void placesOnLeastLoadedStreamerAndReportsWhenAllAreFull() throws Exception {
        h.addStreamer("s1", 2);
        h.addStreamer("s2", 1);
        List<String> placed = List.of(create().getStreamerId(), create().getStreamerId(), create().getStreamerId());
        assertEquals(2, placed.stream().filter("s1"::equals).count());
        assertEquals(1, placed.stream().filter("s2"::equals).count());
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, "all 2 streamers are full (3 sessions)", this::create);
    }

    @Test
    void rendererRefusalClosesStreamerSessionAndLeaksNoCapacity() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 1);
        assertStatus(Status.Code.NOT_FOUND, "avatar 'nobody' does not exist",
                () -> api.createSession(CreateSessionRequest.newBuilder().setAvatar("nobody").build()));
        assertStatus(Status.Code.NOT_FOUND, "voice 'nobody' does not exist",
                () -> api.createSession(CreateSessionRequest.newBuilder().setVoice("nobody").build()));
        assertTrue(s1.openSessions.isEmpty(), "streamer session closed after the renderer refused");
        assertEquals(2, h.log.matching("s1 CloseSession").size());
        // The only slot is still free.
        Session session = api.createSession(CreateSessionRequest.newBuilder().setAvatar("ada").build());
        assertEquals("ada", session.getAvatar());
    }

    @Test
    void unreachableRendererIsUnavailableAndFreesTheSlot() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 1);
        h.stopRenderer();
        String message = assertStatus(Status.Code.UNAVAILABLE, "renderer unavailable", this::create).getStatus().getDescription();
        assertFalse(message.contains(h.rendererAddress), "where the renderer is stays in the log: " + message);
        assertTrue(s1.openSessions.isEmpty(), "streamer session closed when the renderer was unreachable");
        // The slot was given back: the next failure is again about the renderer, not about capacity.
        assertStatus(Status.Code.UNAVAILABLE, "unavailable", this::create);
    }

    @Test
    void aCrashedButNotYetExpiredStreamerIsSkipped() throws Exception {
        h.addStreamer("a", 4);
        h.addStreamer("b", 1);
        h.stopStreamer("a"); // "a" is least loaded and preferred by id, but gone
        Session onB = create();
        assertEquals("b", onB.getStreamerId());
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, "all 1 streamers are full (1 sessions); not answering: a", this::create);
        h.stopStreamer("b");
        api.closeSession(CloseSessionRequest.newBuilder().setSessionId(onB.getSessionId()).build()); // best effort on b
        assertStatus(Status.Code.UNAVAILABLE, "no streamer answered (tried a, b)", this::create);
    }

    // ---------- unknown / closed / empty ids ----------

    @Test
    void unknownEmptyAndClosedSessionIds() throws Exception {
        h.addStreamer("s1", 4);
        assertStatus(Status.Code.NOT_FOUND, "session nope does not exist",
                () -> api.getSession(GetSessionRequest.newBuilder().setSessionId("nope").build()));
        assertStatus(Status.Code.NOT_FOUND, "session nope does not exist", () -> api.speak(speak("nope", "hi")));
        assertStatus(Status.Code.NOT_FOUND, "session nope does not exist",
                () -> api.closeSession(CloseSessionRequest.newBuilder().setSessionId("nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "session_id is empty", () -> api.speak(speak("", "hi")));
        assertStatus(Status.Code.INVALID_ARGUMENT, "session_id is empty",
                () -> api.getSession(GetSessionRequest.getDefaultInstance()));

        Session session = createNegotiated();
        String id = session.getSessionId();
        api.closeSession(CloseSessionRequest.newBuilder().setSessionId(id).build());
        api.closeSession(CloseSessionRequest.newBuilder().setSessionId(id).build()); // idempotent

        assertEquals(SessionState.SESSION_STATE_CLOSED,
                api.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getState());
        assertStatus(Status.Code.FAILED_PRECONDITION, "session " + id + " is closed", () -> api.speak(speak(id, "hi")));
        assertStatus(Status.Code.FAILED_PRECONDITION, "session " + id + " is closed",
                () -> api.interrupt(InterruptRequest.newBuilder().setSessionId(id).build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "session " + id + " is closed",
                () -> api.negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build()));
        assertEquals(1, h.log.matching("s1 CloseSession " + id).size(), "closed once on the streamer");
        assertEquals(1, h.log.matching("renderer CloseSession " + id).size(), "closed once on the renderer");
        assertTrue(h.renderer.openSessions.isEmpty());
    }

    // ---------- negotiate / ICE ----------

    @Test
    void negotiateChecksTheOfferThenPassesItToTheStreamer() throws Exception {
        h.addStreamer("s1", 4);
        String id = create().getSessionId();
        assertStatus(Status.Code.INVALID_ARGUMENT, "sdp_offer is empty",
                () -> api.negotiate(NegotiateRequest.newBuilder().setSessionId(id).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "sdp_offer does not start with v=0",
                () -> api.negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer("{\"type\":\"offer\"}").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "sdp_offer has no m=video section",
                () -> api.negotiate(NegotiateRequest.newBuilder().setSessionId(id)
                        .setSdpOffer("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "offer rejected by WebRTC: bad fingerprint",
                () -> api.negotiate(NegotiateRequest.newBuilder().setSessionId(id)
                        .setSdpOffer(OFFER.replace("fake-ok", "x")).build()));
        assertEquals(SessionState.SESSION_STATE_NEW, api.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getState());

        EventRecorder events = watch(id);
        assertEquals(SessionState.SESSION_STATE_NEW, events.next().getStateChanged().getState());
        String answer = api.negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build()).getSdpAnswer();
        assertEquals("v=0 answer for " + id, answer);
        assertEquals(SessionState.SESSION_STATE_CONNECTING, events.next().getStateChanged().getState());
        assertEquals(SessionState.SESSION_STATE_CONNECTING,
                api.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getState());

        IceCandidate candidate = IceCandidate.newBuilder().setCandidate("candidate:1 1 udp 1 127.0.0.1 5000 typ host")
                .setSdpMid("0").build();
        api.addIceCandidate(AddIceCandidateRequest.newBuilder().setSessionId(id).setCandidate(candidate).build());
        assertEquals(candidate, h.streamers.get("s1").candidates.get(0).getCandidate());
    }

    // ---------- speak / interrupt ----------

    @Test
    void speakValidatesTextAndNumbersUtterances() throws Exception {
        h.addStreamer("s1", 4);
        String id = create().getSessionId();
        assertStatus(Status.Code.FAILED_PRECONDITION, "not negotiated", () -> api.speak(speak(id, "hello")));
        api.negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build());

        assertStatus(Status.Code.INVALID_ARGUMENT, "text is empty", () -> api.speak(speak(id, "   \n ")));
        assertStatus(Status.Code.INVALID_ARGUMENT, "text is 2001 characters; the limit is 2000",
                () -> api.speak(speak(id, "a".repeat(2001))));

        assertEquals(1, api.speak(speak(id, "  hello  ")).getUtteranceId());
        assertEquals(2, api.speak(speak(id, "b".repeat(2000))).getUtteranceId());
        assertEquals("hello", h.renderer.spoken.get(0).getText());
        assertEquals(2, h.renderer.spoken.get(1).getUtteranceId());
    }

    @Test
    void interruptDiscardsThroughTheLastUtteranceOnStreamerThenRenderer() throws Exception {
        h.addStreamer("s1", 4);
        String id = createNegotiated().getSessionId();
        api.speak(speak(id, "one"));
        api.speak(speak(id, "two"));
        long cut = api.interrupt(InterruptRequest.newBuilder().setSessionId(id).build()).getUtteranceId();
        assertEquals(2, cut, "the streamer's answer is returned");
        // The streamer takes speech off the wire; asking it first keeps the renderer's round trip out of that latency.
        assertEquals(List.of("s1 Interrupt " + id + " 2", "renderer Interrupt " + id + " 2"), h.log.matching("Interrupt"));
        assertEquals(3, api.speak(speak(id, "three")).getUtteranceId(), "speak works normally after an interrupt");
    }

    @Test
    void rendererCrashBecomesInternalWithoutLeakingItsMessage() throws Exception {
        h.addStreamer("s1", 4);
        String id = createNegotiated().getSessionId();
        h.renderer.crashOnSpeak = true;
        StatusRuntimeException e = assertStatus(Status.Code.INTERNAL, "see its log", () -> api.speak(speak(id, "hi")));
        assertFalse(e.getStatus().getDescription().contains("Secret"));
    }

    // ---------- events ----------

    @Test
    void streamerEventsReachEveryWatcherAndStreamsCompleteOnClose() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 4);
        String id = createNegotiated().getSessionId();
        String other = createNegotiated().getSessionId();
        EventRecorder first = watch(id);
        EventRecorder second = watch(id);
        EventRecorder otherWatcher = watch(other);
        assertEquals(SessionState.SESSION_STATE_CONNECTING, first.next().getStateChanged().getState());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, second.next().getStateChanged().getState());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, otherWatcher.next().getStateChanged().getState());

        s1.emitState(id, SessionState.SESSION_STATE_CONNECTED, "peer connected");
        SessionEvent started = SessionEvent.newBuilder().setSessionId(id).setTimestampUs(7)
                .setSpeechStarted(SpeechStarted.newBuilder().setUtteranceId(1).setMediaTimeMs(40).setText("hi")).build();
        s1.emit(started);

        for (EventRecorder watcher : List.of(first, second)) {
            SessionEvent connected = watcher.next();
            assertEquals(SessionState.SESSION_STATE_CONNECTED, connected.getStateChanged().getState());
            assertEquals("peer connected", connected.getStateChanged().getReason());
            assertEquals(started, watcher.next());
        }
        assertEquals(SessionState.SESSION_STATE_CONNECTED,
                api.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getState());

        // A late watcher starts from the current state.
        EventRecorder late = watch(id);
        assertEquals(SessionState.SESSION_STATE_CONNECTED, late.next().getStateChanged().getState());

        api.closeSession(CloseSessionRequest.newBuilder().setSessionId(id).build());
        for (EventRecorder watcher : List.of(first, second, late)) {
            SessionEvent closed = watcher.next();
            assertEquals(SessionState.SESSION_STATE_CLOSED, closed.getStateChanged().getState());
            assertTrue(watcher.awaitCompleted(), "stream completed normally");
        }
        assertFalse(otherWatcher.isEnded(), "the other session's stream is untouched");
        assertFalse(otherWatcher.hasPending(), "and saw none of this session's events");

        // Watching a closed session yields CLOSED and ends at once.
        EventRecorder afterClose = watch(id);
        assertEquals(SessionState.SESSION_STATE_CLOSED, afterClose.next().getStateChanged().getState());
        assertTrue(afterClose.awaitCompleted());
    }

    @Test
    void streamerReportingClosedClosesTheWholeSession() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 1);
        String id = createNegotiated().getSessionId();
        EventRecorder events = watch(id);
        events.next();
        s1.emitState(id, SessionState.SESSION_STATE_CLOSED, "peer connection failed");
        SessionEvent closed = events.next();
        assertEquals(SessionState.SESSION_STATE_CLOSED, closed.getStateChanged().getState());
        assertEquals("peer connection failed", closed.getStateChanged().getReason());
        assertTrue(events.awaitCompleted());
        // Cleanup follows the CLOSED event on the thread that delivered the streamer's event.
        awaitTrue(() -> h.renderer.openSessions.isEmpty(), "renderer let go of the session");
        assertEquals(List.of("s1 CloseSession " + id), h.log.matching("s1 CloseSession"));
        create(); // the single slot is free again
    }

    @Test
    void eventStreamFromStreamerIsReopenedWhenItBreaks() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 4);
        String id = createNegotiated().getSessionId();
        EventRecorder events = watch(id);
        events.next();
        s1.breakEventStreams();
        s1.awaitSubscriptions(1);
        s1.emitState(id, SessionState.SESSION_STATE_CONNECTED, "peer connected");
        assertEquals(SessionState.SESSION_STATE_CONNECTED, events.next().getStateChanged().getState());
    }

    // ---------- registry / liveness ----------

    @Test
    void heartbeatsKeepAStreamerAliveAndSilenceClosesItsSessions() throws Exception {
        h.addStreamer("s1", 4);
        String onS1 = createNegotiated().getSessionId();
        FakeStreamerServer s2 = h.addStreamer("s2", 4);
        // Placement is load-weighted random: create until one lands on s2 (s1 has 3 slots left, so within 4).
        String onS2;
        do {
            onS2 = createNegotiated().getSessionId();
        } while (!api.getSession(GetSessionRequest.newBuilder().setSessionId(onS2).build()).getStreamerId().equals("s2"));
        EventRecorder events = watch(onS1);
        EventRecorder s2Events = watch(onS2);
        events.next();
        s2Events.next();

        for (int i = 0; i < 5; i++) {
            h.time.advance(Duration.ofMillis(1000));
            assertTrue(h.registry("s2").heartbeat(HeartbeatRequest.newBuilder().setStreamerId("s2").build()).getKnown());
            h.reaper().runOnce();
        }
        SessionEvent error = events.next();
        assertEquals("UNAVAILABLE", error.getError().getCode());
        assertTrue(error.getError().getMessage().contains("s1"), error.getError().getMessage());
        SessionEvent closed = events.next();
        assertEquals(SessionState.SESSION_STATE_FAILED, closed.getStateChanged().getState());
        assertEquals("streamer lost", closed.getStateChanged().getReason());
        assertTrue(events.awaitCompleted());

        assertFalse(h.registry("s1").heartbeat(HeartbeatRequest.newBuilder().setStreamerId("s1").build()).getKnown(),
                "a dead streamer must register again");
        assertFalse(s2Events.isEnded(), "s2's session lives on");
        assertEquals(SessionState.SESSION_STATE_CONNECTING,
                api.getSession(GetSessionRequest.newBuilder().setSessionId(onS2).build()).getState());
        assertTrue(s2.openSessions.contains(onS2));
    }

    @Test
    void reRegistrationReplacesTheStreamerAndClosesItsOldSessions() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 1);
        String id = create().getSessionId();
        EventRecorder events = watch(id);
        events.next();
        h.register("s1", 1);
        s1.awaitSubscriptions(1);
        assertEquals("UNAVAILABLE", events.next().getError().getCode());
        assertEquals(SessionState.SESSION_STATE_FAILED, events.next().getStateChanged().getState(),
                "it registered again without listing the session: it lost it");
        assertEquals("s1", create().getStreamerId(), "the new registration has its slot free");
    }

    @Test
    void registrationIsValidated() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "control_address 'nowhere' is not host:port",
                () -> h.registry("x").registerStreamer(io.facecast.internal.v1.RegisterStreamerRequest.newBuilder()
                        .setStreamerId("x").setControlAddress("nowhere").setBusPath("/tmp/q").setMaxSessions(1).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "streamer_id is empty",
                () -> h.registry("x").registerStreamer(io.facecast.internal.v1.RegisterStreamerRequest.newBuilder()
                        .setControlAddress("127.0.0.1:1").setBusPath("/tmp/q").setMaxSessions(1).build()));
        assertFalse(h.registry("ghost").heartbeat(HeartbeatRequest.newBuilder().setStreamerId("ghost").build()).getKnown());
    }

    // ---------- reaper ----------

    @Test
    void vanishedClientsSessionIsReapedAfterTheGracePeriod() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 1);
        String id = createNegotiated().getSessionId();
        Context.CancellableContext client = Context.current().withCancellation();
        EventRecorder events = new EventRecorder();
        client.run(() -> h.facecastAsync().watchEvents(WatchEventsRequest.newBuilder().setSessionId(id).build(), events));
        events.next();

        keepAlive(SignalingHarness.GRACE.multipliedBy(2), "s1");
        assertEquals(0, h.reaper().runOnce(), "a watched session is never reaped");

        client.cancel(null); // the client vanishes
        awaitWatchers(id, 0);
        keepAlive(SignalingHarness.GRACE.minusSeconds(1), "s1");
        assertEquals(0, h.reaper().runOnce(), "the grace period starts when the last watcher leaves");
        assertEquals(SessionState.SESSION_STATE_CONNECTING, state(id));

        keepAlive(Duration.ofSeconds(2), "s1");
        h.reaper().runOnce();
        assertEquals(SessionState.SESSION_STATE_CLOSED, state(id));
        assertFalse(s1.openSessions.contains(id), "streamer told to close");
        assertFalse(h.renderer.openSessions.contains(id), "renderer told to close");
        create(); // capacity freed
    }

    @Test
    void neverWatchedSessionIsReapedButAConnectedOneIsNot() throws Exception {
        FakeStreamerServer s1 = h.addStreamer("s1", 4);
        String idle = create().getSessionId();
        String connected = createNegotiated().getSessionId();
        s1.emitState(connected, SessionState.SESSION_STATE_CONNECTED, "peer connected");
        awaitState(connected, SessionState.SESSION_STATE_CONNECTED);

        keepAlive(SignalingHarness.GRACE.plusSeconds(1), "s1");
        assertEquals(1, h.reaper().runOnce());
        assertEquals(SessionState.SESSION_STATE_CLOSED, state(idle));
        assertEquals(SessionState.SESSION_STATE_CONNECTED, state(connected), "media flowing keeps a session alive");

        s1.emitState(connected, SessionState.SESSION_STATE_CONNECTING, "peer disconnected");
        awaitState(connected, SessionState.SESSION_STATE_CONNECTING);
        keepAlive(SignalingHarness.GRACE.minusSeconds(1), "s1");
        assertEquals(0, h.reaper().runOnce(), "grace restarts when the peer drops");
        keepAlive(Duration.ofSeconds(2), "s1");
        assertEquals(1, h.reaper().runOnce());
        assertEquals(SessionState.SESSION_STATE_CLOSED, state(connected));
    }

    // ---------- isolation ----------

    @Test
    void badRequestsOnOneSessionNeverDisturbAnother() throws Exception {
        h.addStreamer("s1", 4);
        String bad = createNegotiated().getSessionId();
        String good = createNegotiated().getSessionId();
        EventRecorder goodEvents = watch(good);
        assertEquals(SessionState.SESSION_STATE_CONNECTING, goodEvents.next().getStateChanged().getState());

        assertStatus(Status.Code.INVALID_ARGUMENT, "limit is 2000", () -> api.speak(speak(bad, "x".repeat(5000))));
        assertStatus(Status.Code.INVALID_ARGUMENT, "bad fingerprint",
                () -> api.negotiate(NegotiateRequest.newBuilder().setSessionId(bad).setSdpOffer(OFFER.replace("fake-ok", "")).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "sdp_offer is empty",
                () -> api.negotiate(NegotiateRequest.newBuilder().setSessionId(bad).build()));
        h.renderer.crashOnSpeak = true;
        assertStatus(Status.Code.INTERNAL, "see its log", () -> api.speak(speak(bad, "crash")));
        h.renderer.crashOnSpeak = false;
        api.closeSession(CloseSessionRequest.newBuilder().setSessionId(bad).build());
        assertStatus(Status.Code.FAILED_PRECONDITION, "is closed", () -> api.speak(speak(bad, "late")));

        assertEquals(1, api.speak(speak(good, "still fine")).getUtteranceId());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, state(good));
        assertFalse(goodEvents.isEnded());
        assertFalse(goodEvents.hasPending(), "no stray events reached the other session");
    }

    // ---------- helpers for time-driven tests ----------

    private SessionState state(String id) {
        return api.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()).getState();
    }

    /** Events from the fake streamer arrive on gRPC threads; wait (bounded) for signaling to have applied one. */
    private void awaitState(String id, SessionState expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (state(id) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("session " + id + " never reached " + expected + "; is " + state(id));
            }
            Thread.onSpinWait();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.onSpinWait();
        }
    }

    private void awaitWatchers(String id, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (h.sessions().watcherCount(id) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("session " + id + " never had " + expected + " watchers");
            }
            Thread.onSpinWait();
        }
    }

    /** Moves the clock in heartbeat steps, with the given streamers heartbeating, so only sessions can expire. */
    private void keepAlive(Duration total, String... streamerIds) {
        for (long ms = 0; ms < total.toMillis(); ms += 1000) {
            h.time.advance(Duration.ofMillis(1000));
            for (String streamerId : streamerIds) {
                assertTrue(h.registry(streamerId).heartbeat(HeartbeatRequest.newBuilder().setStreamerId(streamerId).build()).getKnown());
            }
        }
    }
}
