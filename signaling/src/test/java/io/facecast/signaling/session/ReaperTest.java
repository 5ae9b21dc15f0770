package io.facecast.signaling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.StateChanged;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.signaling.placement.LeastLoadedPlacement;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.relay.EventSink;
import io.facecast.signaling.relay.SessionEvents;
import io.facecast.signaling.support.CallLog;
import io.facecast.signaling.support.FakeBackends;
import io.facecast.signaling.support.ManualNanoTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reaper's decisions on a manual clock: no sleeps, no gRPC. */
class ReaperTest {

    static final Duration GRACE = Duration.ofSeconds(30);

    final CallLog log = new CallLog();
    final ManualNanoTime time = new ManualNanoTime();
    final StreamerRegistry registry = new StreamerRegistry(new LeastLoadedPlacement(), time, Duration.ofSeconds(3));
    final FakeBackends.StreamerFactory streamers = new FakeBackends.StreamerFactory(log);
    final SessionManager sessions = new SessionManager(registry, new FakeBackends.Renderer(log),
            new SessionEvents(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)), new Tombstones(time, Duration.ofMinutes(10), 100),
            time, List.of(), GRACE, Runnable::run);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final StreamerLifecycle lifecycle =
            new StreamerLifecycle(registry, sessions, streamers, scheduler, Duration.ofSeconds(1), Duration.ofSeconds(3));
    final Reaper reaper = new Reaper(lifecycle, sessions);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    static final class Recorder implements EventSink {
        final List<SessionEvent> events = new ArrayList<>();
        boolean completed;

        @Override
        public void send(SessionEvent event) {
            events.add(event);
        }

        @Override
        public void complete() {
            completed = true;
        }
    }

    void register(String id) {
        lifecycle.register(RegisterStreamerRequest.newBuilder()
                .setStreamerId(id).setControlAddress("127.0.0.1:5007").setBusPath("/tmp/" + id).setMaxSessions(2).build());
    }

    /** Moves the clock while the streamer keeps heartbeating, so only session rules can fire. */
    void pass(Duration duration) {
        for (long ms = 0; ms < duration.toMillis(); ms += 500) {
            time.advance(Duration.ofMillis(Math.min(500, duration.toMillis() - ms)));
            registry.heartbeat("s1", 0);
        }
    }

    String create() {
        return sessions.create(CreateSessionRequest.getDefaultInstance()).getSessionId();
    }

    void streamerSays(String sessionId, SessionState state) {
        streamers.connected.get("s1").events.onNext(SessionEvent.newBuilder().setSessionId(sessionId)
                .setStateChanged(StateChanged.newBuilder().setState(state).setReason("test")).build());
    }

    @Test
    void createOpensTheStreamerSideFirst() {
        register("s1");
        String id = create();
        assertEquals(List.of("s1 OpenSession " + id, "renderer OpenSession " + id), log.all());
    }

    @Test
    void unwatchedSessionIsReapedJustAfterTheGracePeriod() {
        register("s1");
        String id = create();
        streamerSays(id, SessionState.SESSION_STATE_CONNECTING); // negotiated: the full grace applies
        pass(GRACE);
        assertEquals(0, reaper.runOnce(), "exactly at the grace period it is kept");
        pass(Duration.ofMillis(500));
        assertEquals(1, reaper.runOnce());
        assertEquals(SessionState.SESSION_STATE_CLOSED, sessions.get(id).getState());
        assertTrue(log.all().contains("s1 CloseSession " + id));
        assertTrue(log.all().contains("renderer CloseSession " + id));
        create();
        create(); // both slots free again
    }

    @Test
    void sessionsNeverNegotiatedAreReapedAfterTheShorterNegotiationGrace() {
        register("s1");
        String first = create();
        String second = create();
        streamerSays(second, SessionState.SESSION_STATE_CONNECTING);
        pass(SessionManager.NEGOTIATION_GRACE);
        assertEquals(0, reaper.runOnce(), "exactly at the negotiation grace it is kept");
        pass(Duration.ofMillis(500));
        assertEquals(1, reaper.runOnce(), "only the never-negotiated session goes");
        assertEquals(SessionState.SESSION_STATE_CLOSED, sessions.get(first).getState());
        assertEquals(SessionState.SESSION_STATE_CONNECTING, sessions.get(second).getState());
        create(); // its slot is free again long before the 30 s grace
    }

    @Test
    void watcherOrConnectedPeerKeepsTheSessionAlive() {
        register("s1");
        String watched = create();
        String connected = create();
        streamerSays(watched, SessionState.SESSION_STATE_CONNECTING); // negotiated: the full grace applies
        Recorder watcher = new Recorder();
        Runnable unwatch = sessions.watch(watched, watcher);
        streamerSays(connected, SessionState.SESSION_STATE_CONNECTED);

        pass(GRACE.multipliedBy(3));
        assertEquals(0, reaper.runOnce());

        unwatch.run();
        streamerSays(connected, SessionState.SESSION_STATE_CONNECTING);
        pass(GRACE);
        assertEquals(0, reaper.runOnce(), "the grace period restarts when the last watcher leaves / the peer drops");
        pass(Duration.ofSeconds(1));
        assertEquals(2, reaper.runOnce());
        assertFalse(watcher.completed, "an unsubscribed watcher is not written to");
    }

    @Test
    void silentStreamerIsDeclaredDeadAndItsSessionsClosed() {
        register("s1");
        String id = create();
        Recorder watcher = new Recorder();
        sessions.watch(id, watcher);

        time.advance(Duration.ofSeconds(3));
        reaper.runOnce();
        assertFalse(watcher.completed, "3 s is the limit, not yet past it");
        time.advance(Duration.ofMillis(1));
        reaper.runOnce();

        assertTrue(watcher.completed);
        List<SessionEvent> events = watcher.events;
        assertEquals(SessionState.SESSION_STATE_NEW, events.get(0).getStateChanged().getState());
        assertEquals("UNAVAILABLE", events.get(1).getError().getCode());
        assertEquals(SessionState.SESSION_STATE_FAILED, events.get(2).getStateChanged().getState());
        assertEquals("streamer lost", events.get(2).getStateChanged().getReason());
        assertFalse(log.all().contains("s1 CloseSession " + id), "a dead streamer is not called");
        assertTrue(log.all().contains("renderer CloseSession " + id));
        assertTrue(streamers.connected.get("s1").shutDown, "its channel is released");
    }

    @Test
    void eventsFromAStreamerThatDoesNotHostTheSessionAreDropped() {
        register("s1");
        String id = create();
        register("s2");
        Recorder watcher = new Recorder();
        // s2 does not host this session; its claim that the session closed must be ignored.
        sessions.watch(id, watcher);
        streamers.connected.get("s2").events.onNext(SessionEvent.newBuilder().setSessionId(id)
                .setStateChanged(StateChanged.newBuilder().setState(SessionState.SESSION_STATE_CLOSED)).build());
        assertEquals(SessionState.SESSION_STATE_NEW, sessions.get(id).getState());
        assertEquals(1, watcher.events.size());
    }
}
