package io.facecast.signaling.session;

import io.facecast.ops.log.SessionLogContext;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.errors.TextRules;
import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.IceServer;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.signaling.backend.RendererAudioUpload;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;
import io.facecast.internal.v1.StreamerOpenRequest;
import io.facecast.signaling.backend.RendererBackend;
import io.facecast.signaling.placement.StreamerRegistration;
import io.facecast.signaling.placement.StreamerRegistry;
import io.facecast.signaling.relay.EventSink;
import io.facecast.signaling.relay.QueuedEventSink;
import io.facecast.signaling.relay.SessionEvents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session lifecycle: create (place on a streamer, open it there, then on the renderer), negotiate, speak,
 * interrupt, watch, close. Failures are thrown as {@link StatusRuntimeException}s carrying the client-facing status.
 */
public final class SessionManager {

    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

    /**
     * How long a session that was never negotiated (still NEW) may go without an event watcher before it is reaped
     * (capped by the session grace): a client that creates sessions and never sends an offer holds no slot for long.
     */
    public static final Duration NEGOTIATION_GRACE = Duration.ofSeconds(10);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final StreamerRegistry streamers;
    private final RendererBackend renderer;
    private final SessionEvents events;
    private final Tombstones tombstones;
    private final LongSupplier nanoTime;
    private final IceServerSource iceServers;
    private final long graceNanos;
    private final long negotiationGraceNanos = NEGOTIATION_GRACE.toNanos();
    private final Executor cleanup;
    private final Supplier<String> idGenerator;
    private volatile SessionMetrics metrics = SessionMetrics.NONE;

    public SessionManager(
            StreamerRegistry streamers,
            RendererBackend renderer,
            SessionEvents events,
            Tombstones tombstones,
            LongSupplier nanoTime,
            List<IceServer> iceServers,
            Duration grace,
            Executor cleanup) {
        this(streamers, renderer, events, tombstones, nanoTime, IceServerSource.fixed(iceServers), grace, cleanup,
                () -> UUID.randomUUID().toString());
    }

    /** With ICE servers chosen per session (e.g. TURN credentials issued for each one). */
    public SessionManager(
            StreamerRegistry streamers,
            RendererBackend renderer,
            SessionEvents events,
            Tombstones tombstones,
            LongSupplier nanoTime,
            IceServerSource iceServers,
            Duration grace,
            Executor cleanup) {
        this(streamers, renderer, events, tombstones, nanoTime, iceServers, grace, cleanup, () -> UUID.randomUUID().toString());
    }

    SessionManager(
            StreamerRegistry streamers,
            RendererBackend renderer,
            SessionEvents events,
            Tombstones tombstones,
            LongSupplier nanoTime,
            IceServerSource iceServers,
            Duration grace,
            Executor cleanup,
            Supplier<String> idGenerator) {
        this.streamers = streamers;
        this.renderer = renderer;
        this.events = events;
        this.tombstones = tombstones;
        this.nanoTime = nanoTime;
        this.iceServers = iceServers;
        this.graceNanos = grace.toNanos();
        this.cleanup = cleanup;
        this.idGenerator = idGenerator;
    }

    /** Where placement and speech timings are reported (the process's metrics); none by default. */
    public void observe(SessionMetrics metrics) {
        this.metrics = metrics;
    }

    /** Live sessions per state (for the sessions-by-state gauge). */
    public Map<SessionState, Integer> countByState() {
        Map<SessionState, Integer> counts = new java.util.EnumMap<>(SessionState.class);
        for (Session session : sessions.values()) {
            counts.merge(session.state(), 1, Integer::sum);
        }
        return counts;
    }

    /** Open event streams over all live sessions. */
    public int watcherTotal() {
        int n = 0;
        for (Session session : sessions.values()) {
            n += session.watcherCount();
        }
        return n;
    }

    // ---- client calls ----

    public io.facecast.api.v1.Session create(CreateSessionRequest request) {
        MediaSpec media = VideoOptionsCheck.toMediaSpec(request.getVideo());
        String sessionId = idGenerator.get();
        List<IceServer> iceServers = this.iceServers.forSession(sessionId);
        StreamerRegistration streamer = openOnAStreamer(sessionId, media, iceServers);
        RendererOpenResponse opened;
        try {
            opened = renderer.openSession(RendererOpenRequest.newBuilder()
                    .setSessionId(sessionId)
                    .setAvatar(request.getAvatar())
                    .setVoice(request.getVoice())
                    .setMedia(media)
                    .setBusPath(streamer.busPath())
                    .build());
        } catch (RuntimeException e) {
            bestEffort("close session " + sessionId + " on " + streamer, () -> streamer.backend().closeSession(sessionId));
            streamers.release(streamer);
            throw e;
        }
        Session session = new Session(sessionId, streamer, opened.getAvatar(), opened.getVoice(), media, iceServers,
                nanoTime.getAsLong());
        synchronized (this) {
            // The streamer may have died or re-registered while we were talking to it; its sessions were closed then.
            if (streamers.isCurrent(streamer)) {
                sessions.put(sessionId, session);
                try (SessionLogContext ctx = SessionLogContext.of(sessionId)) {
                    log.info("session {} created on {} ({}x{}@{}, avatar '{}', voice '{}')", sessionId, streamer,
                            media.getWidth(), media.getHeight(), media.getFps(), opened.getAvatar(), opened.getVoice());
                }
                return session.snapshot();
            }
        }
        bestEffort("close session " + sessionId + " on the renderer", () -> renderer.closeSession(sessionId));
        streamers.release(streamer);
        throw Status.UNAVAILABLE
                .withDescription(streamer + " was lost while the session was being created; try again")
                .asRuntimeException();
    }

    /**
     * Places the session and opens it on the chosen streamer, which must know the session before the renderer writes
     * the first idle frames to its bus. A streamer that does not answer (crashed, not yet declared dead) is skipped
     * in favour of the next one.
     */
    private StreamerRegistration openOnAStreamer(String sessionId, MediaSpec media, List<IceServer> iceServers) {
        Set<String> unreachable = new HashSet<>();
        while (true) {
            StreamerRegistration streamer;
            try {
                streamer = streamers.reserve(unreachable);
            } catch (StatusRuntimeException e) {
                metrics.placementRefused(e.getStatus().getCode());
                if (!unreachable.isEmpty() && e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                    throw Status.UNAVAILABLE.withDescription("no streamer answered (tried " + String.join(", ", new TreeSet<>(unreachable)) + ")")
                            .asRuntimeException();
                }
                throw e;
            }
            try {
                streamer.backend().openSession(StreamerOpenRequest.newBuilder()
                        .setSessionId(sessionId).setMedia(media).addAllIceServers(iceServers)
                        .setRelayOnly(this.iceServers.relayOnly()).build());
                metrics.placed();
                return streamer;
            } catch (StatusRuntimeException e) {
                streamers.release(streamer);
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                log.warn("{} did not take session {}: {}; trying another streamer", streamer, sessionId,
                        e.getStatus().getDescription());
                unreachable.add(streamer.streamerId());
            } catch (RuntimeException e) {
                streamers.release(streamer);
                throw e;
            }
        }
    }

    public io.facecast.api.v1.Session get(String sessionId) {
        requireId(sessionId);
        Session session = sessions.get(sessionId);
        if (session != null) {
            return session.snapshot();
        }
        return tombstones.find(sessionId).orElseThrow(() -> notFound(sessionId));
    }

    /** Closes the session and waits for the streamer and renderer to let go of it. Idempotent for a closed session. */
    public void close(String sessionId) {
        requireId(sessionId);
        Session session = sessions.get(sessionId);
        if (session == null) {
            if (tombstones.find(sessionId).isPresent()) {
                return;
            }
            throw notFound(sessionId);
        }
        close(session, "closed by the client", null, true).join();
    }

    public String negotiate(String sessionId, String sdpOffer) {
        Session session = live(sessionId);
        SdpOfferCheck.check(sdpOffer);
        String answer = session.streamer().backend().negotiate(sessionId, sdpOffer);
        String why = "answer sent; waiting for ICE/DTLS";
        session.changeStateIfNew(SessionState.SESSION_STATE_CONNECTING, why,
                events.stateChanged(sessionId, SessionState.SESSION_STATE_CONNECTING, why), nanoTime.getAsLong());
        return answer;
    }

    public void addIceCandidate(String sessionId, IceCandidate candidate) {
        Session session = live(sessionId);
        if (candidate.getCandidate().isBlank()) {
            // Browsers mark the end of gathering with an empty candidate; it carries nothing to add, and accepting it
            // silently would hide a client bug. End of candidates needs no call (WHEP: a=end-of-candidates).
            throw Status.INVALID_ARGUMENT.withDescription("candidate is empty; send \"candidate:...\" lines only "
                    + "(to say gathering is over, simply stop; over WHEP PATCH a=end-of-candidates)").asRuntimeException();
        }
        session.streamer().backend().addIceCandidate(sessionId, candidate);
    }

    public long speak(String sessionId, String text) {
        return speak(sessionId, text, false);
    }

    public long speak(String sessionId, String text, boolean syncMarkers) {
        long received = nanoTime.getAsLong();
        Session session = live(sessionId);
        String normalized = SpeechText.normalize(text);
        requireNegotiated(session);
        long utteranceId = session.nextUtteranceId();
        try {
            renderer.speak(sessionId, utteranceId, normalized, syncMarkers);
            metrics.speakAccepted(sessionId, utteranceId, received, nanoTime.getAsLong());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION && session.wasInterrupted(utteranceId)) {
                // An Interrupt overtook this Speak on its way to the renderer: it was discarded, as asked.
                return utteranceId;
            }
            throw e;
        }
        return utteranceId;
    }

    /** A supplied-audio utterance in progress: its id (already assigned) and the stream to the renderer. */
    public record AudioUtterance(long utteranceId, RendererAudioUpload upload) {}

    /**
     * Starts a supplied-audio utterance. Its id is assigned now, under the same lock as text speech, so an Interrupt
     * issued during the upload discards it like any earlier utterance.
     */
    public AudioUtterance speakAudio(SpeakAudioStart start) {
        Session session = live(start.getSessionId());
        RendererSpeakAudioStart.Builder toRenderer = RendererSpeakAudioStart.newBuilder()
                .setSessionId(start.getSessionId());
        switch (start.getEncodingCase()) {
            case PCM -> toRenderer.setPcm(start.getPcm());
            case WAV -> {
                if (!start.getWav()) {
                    throw Status.INVALID_ARGUMENT.withDescription("wav is false; set wav=true or give a pcm format").asRuntimeException();
                }
                toRenderer.setWav(true);
            }
            default -> throw Status.INVALID_ARGUMENT
                    .withDescription("SpeakAudioStart needs the encoding: pcm {sample_rate, channels} or wav=true").asRuntimeException();
        }
        String caption = start.getText().strip();
        TextRules.requireWithinLimit("text (the caption)", caption);
        requireNegotiated(session);
        long utteranceId = session.nextUtteranceId();
        RendererAudioUpload upload = renderer.speakAudio(toRenderer.setUtteranceId(utteranceId).setText(caption).build());
        return new AudioUtterance(utteranceId, upload);
    }

    public long interrupt(String sessionId) {
        long received = nanoTime.getAsLong();
        Session session = live(sessionId);
        requireNegotiated(session);
        // No lock is held across the calls: a Speak still on its way to the renderer does not delay this.
        long discardThrough = session.interruptAll();
        // Streamer first: it takes speech off the wire at the next frame and ignores every record of these
        // utterances still on their way, so the renderer can be told second without delaying the silence.
        long cut = session.streamer().backend().interrupt(sessionId, discardThrough).getUtteranceId();
        metrics.interruptConfirmed(sessionId, nanoTime.getAsLong() - received);
        renderer.interrupt(sessionId, discardThrough);
        return cut;
    }

    /**
     * Subscribes a watcher: it first gets the current state, then live events, and its stream ends when the session
     * closes.
     *
     * @return cancels the subscription (call when the client goes away)
     */
    public Runnable watch(String sessionId, EventSink sink) {
        requireId(sessionId);
        Session session = sessions.get(sessionId);
        if (session == null) {
            io.facecast.api.v1.Session closed = tombstones.find(sessionId).orElseThrow(() -> notFound(sessionId));
            sink.send(events.stateChanged(sessionId, closed.getState(), "closed"));
            sink.complete();
            return () -> {};
        }
        String sid = session.id();
        if (sink instanceof QueuedEventSink queued) {
            queued.observeWith(new QueuedEventSink.Observer() {
                @Override public void queued(int delta) {
                    metrics.eventsQueued(delta);
                }

                @Override public void dropped() {
                    metrics.slowConsumerDropped();
                }
            });
        }
        boolean added = session.watch(sink, state -> events.stateChanged(sid, state, session.reason()), nanoTime.getAsLong());
        return added ? () -> session.unwatch(sink, nanoTime.getAsLong()) : () -> {};
    }

    // ---- events and housekeeping ----

    /** Routes one event from a streamer's event stream to the session's watchers, tracking the state it reports. */
    public void onStreamerEvent(StreamerRegistration from, SessionEvent event) {
        Session session = sessions.get(event.getSessionId());
        if (session == null || session.streamer() != from) {
            log.debug("dropping an event for session '{}' that {} does not host here", event.getSessionId(), from);
            return;
        }
        SessionEvent stamped = events.stamped(event);
        if (event.hasSpeechStarted()) {
            metrics.speechStarted(session.id(), event.getSpeechStarted().getUtteranceId(), nanoTime.getAsLong());
        }
        if (!event.hasStateChanged()) {
            session.publish(stamped);
            return;
        }
        SessionState state = event.getStateChanged().getState();
        String reason = event.getStateChanged().getReason();
        if (state == SessionState.SESSION_STATE_CLOSED) {
            close(session, reason.isEmpty() ? "closed by the streamer" : reason, null, true);
        } else if (state == SessionState.SESSION_STATE_UNSPECIFIED) {
            log.warn("{} sent an unspecified state for session {}; ignored", from, session.id());
        } else {
            session.changeState(state, reason, stamped, nanoTime.getAsLong());
        }
    }

    /** The streamer is gone (no heartbeat, or it registered anew): its sessions are closed with an error event. */
    public void closeSessionsOn(StreamerRegistration streamer, String reason, String errorMessage) {
        List<Session> hosted = new ArrayList<>();
        synchronized (this) {
            for (Session session : sessions.values()) {
                if (session.streamer() == streamer) {
                    hosted.add(session);
                }
            }
        }
        for (Session session : hosted) {
            close(session, reason, events.error(session.id(), "UNAVAILABLE", errorMessage), false);
        }
    }

    /** Closes sessions nobody watches and no peer is connected to, for longer than the grace period. */
    public int reapAbandoned() {
        long now = nanoTime.getAsLong();
        int reaped = 0;
        for (Session session : sessions.values()) {
            if (session.isAbandoned(now, graceNanos, negotiationGraceNanos)) {
                try (SessionLogContext ctx = SessionLogContext.of(session.id())) {
                    log.info("reaping session {}: no watcher and no connected peer for over {} ms", session.id(), graceNanos / 1_000_000);
                }
                close(session, "abandoned: no event stream and no connected peer within the grace period", null, true);
                reaped++;
            }
        }
        return reaped;
    }

    /** Open WatchEvents streams of a live session; 0 for an unknown or closed one. */
    public int watcherCount(String sessionId) {
        Session session = sessions.get(sessionId);
        return session == null ? 0 : session.watcherCount();
    }

    public int liveSessionCount() {
        return sessions.size();
    }

    /**
     * The renderer's avatars and voices (ListAvatars, ListVoices), each avatar with the HTTP API's preview address.
     * Asked on every call: the renderer reads its pack folder again each time, as a session open does.
     */
    public io.facecast.internal.v1.RendererCatalog catalog() {
        io.facecast.internal.v1.RendererCatalog catalog = renderer.catalog();
        io.facecast.internal.v1.RendererCatalog.Builder out = catalog.toBuilder();
        for (int i = 0; i < out.getAvatarsCount(); i++) {
            String name = out.getAvatars(i).getName();
            out.setAvatars(i, out.getAvatars(i).toBuilder().setPreviewUrl("/v1/avatars/"
                    + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                    + "/preview.png"));
        }
        return out.build();
    }

    /** Snapshots of the live sessions, oldest id order not promised; for operators (./facecast status). */
    public List<io.facecast.api.v1.Session> liveSessions() {
        return sessions.values().stream().map(Session::snapshot).toList();
    }

    // ---- internals ----

    private CompletableFuture<Void> close(Session session, String reason, SessionEvent error, boolean streamerAlive) {
        String id = session.id();
        if (!session.close(reason, error, events.stateChanged(id, SessionState.SESSION_STATE_CLOSED, reason))) {
            return CompletableFuture.completedFuture(null);
        }
        sessions.remove(id, session);
        metrics.sessionClosed(id);
        tombstones.record(session.snapshot());
        streamers.release(session.streamer());
        try (SessionLogContext ctx = SessionLogContext.of(id)) {
            log.info("session {} closed: {}", id, reason);
        }
        return CompletableFuture.runAsync(() -> {
            if (streamerAlive) {
                bestEffort("close session " + id + " on " + session.streamer(), () -> session.streamer().backend().closeSession(id));
            }
            bestEffort("close session " + id + " on the renderer", () -> renderer.closeSession(id));
        }, cleanup);
    }

    private Session live(String sessionId) {
        requireId(sessionId);
        Session session = sessions.get(sessionId);
        if (session != null) {
            return session;
        }
        if (tombstones.find(sessionId).isPresent()) {
            throw Status.FAILED_PRECONDITION.withDescription("session " + sessionId + " is closed").asRuntimeException();
        }
        throw notFound(sessionId);
    }

    private static void requireNegotiated(Session session) {
        if (session.state() == SessionState.SESSION_STATE_NEW) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("session " + session.id() + " is not negotiated yet; call Negotiate with the SDP offer first")
                    .asRuntimeException();
        }
    }

    private static void requireId(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("session_id is empty").asRuntimeException();
        }
    }

    private static StatusRuntimeException notFound(String sessionId) {
        return Status.NOT_FOUND.withDescription("session " + sessionId + " does not exist").asRuntimeException();
    }

    private static void bestEffort(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("could not {}: {}", what, e.getMessage());
        }
    }
}
