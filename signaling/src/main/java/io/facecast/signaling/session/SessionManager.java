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
import io.facecast.signaling.fleet.FleetState;
import io.facecast.signaling.fleet.RendererDirectory;
import io.facecast.signaling.fleet.SessionRecord;
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
    private final FleetState fleet;
    private final RendererDirectory renderers;
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
        this(streamers, new RendererDirectory(renderer, "", address -> renderer), events, tombstones, nanoTime,
                iceServers, grace, cleanup, idGenerator);
    }

    /** With one renderer per node (the directory's default serves nodes that name none). */
    public SessionManager(
            StreamerRegistry streamers,
            RendererDirectory renderers,
            SessionEvents events,
            Tombstones tombstones,
            LongSupplier nanoTime,
            IceServerSource iceServers,
            Duration grace,
            Executor cleanup) {
        this(streamers, renderers, events, tombstones, nanoTime, iceServers, grace, cleanup,
                () -> UUID.randomUUID().toString());
    }

    SessionManager(
            StreamerRegistry streamers,
            RendererDirectory renderers,
            SessionEvents events,
            Tombstones tombstones,
            LongSupplier nanoTime,
            IceServerSource iceServers,
            Duration grace,
            Executor cleanup,
            Supplier<String> idGenerator) {
        this.streamers = streamers;
        this.fleet = streamers.fleet();
        this.renderers = renderers;
        this.events = events;
        this.tombstones = tombstones;
        this.nanoTime = nanoTime;
        this.iceServers = iceServers;
        this.graceNanos = grace.toNanos();
        this.cleanup = cleanup;
        this.idGenerator = idGenerator;
        fleet.subscribe(this::onFleetEvent);
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
        RendererBackend renderer = renderers.at(streamer.rendererAddress());
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
            streamers.release(streamer, sessionId);
            throw e;
        }
        Session session = new Session(sessionId, streamer, opened.getAvatar(), opened.getVoice(), media, iceServers,
                nanoTime.getAsLong());
        synchronized (this) {
            // The streamer may have died or re-registered while we were talking to it; its sessions were closed then.
            if (streamers.isCurrent(streamer)) {
                sessions.put(sessionId, session);
                fleet.putSession(record(session, "", ""));
                try (SessionLogContext ctx = SessionLogContext.of(sessionId)) {
                    log.info("session {} created on {} ({}x{}@{}, avatar '{}', voice '{}')", sessionId, streamer,
                            media.getWidth(), media.getHeight(), media.getFps(), opened.getAvatar(), opened.getVoice());
                }
                return session.snapshot();
            }
        }
        bestEffort("close session " + sessionId + " on the renderer", () -> renderer.closeSession(sessionId));
        streamers.release(streamer, sessionId);
        throw Status.UNAVAILABLE
                .withDescription(streamer + " was lost while the session was being created; try again")
                .asRuntimeException();
    }

    private SessionRecord record(Session session, String ownerKeyId, String ownerCredentialId) {
        StreamerRegistration streamer = session.streamer();
        return new SessionRecord(session.id(), streamer.streamerId(), streamer.rendererAddress(), streamer.busPath(),
                session.snapshot(), session.state(), ownerKeyId, ownerCredentialId);
    }

    /** Who created the session (API key id, credential id), kept with it so every replica enforces it. */
    public void recordOwner(String sessionId, String keyId, String credentialId) {
        fleet.setSessionOwner(sessionId, keyId == null ? "" : keyId, credentialId == null ? "" : credentialId);
    }

    /** The owner {@link #recordOwner} kept: {key id, credential id}, or empty when unknown. */
    public java.util.Optional<String[]> ownerOf(String sessionId) {
        return fleet.session(sessionId).filter(r -> !r.ownerKeyId().isEmpty())
                .map(r -> new String[] {r.ownerKeyId(), r.ownerCredentialId()});
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
                streamer = streamers.reserve(sessionId, unreachable);
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
                streamers.release(streamer, sessionId);
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                log.warn("{} did not take session {}: {}; trying another streamer", streamer, sessionId,
                        e.getStatus().getDescription());
                unreachable.add(streamer.streamerId());
            } catch (RuntimeException e) {
                streamers.release(streamer, sessionId);
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
        java.util.Optional<SessionRecord> shared = fleet.shared() ? fleet.session(sessionId) : java.util.Optional.empty();
        if (shared.isPresent()) {
            return shared.get().snapshot().toBuilder().setState(shared.get().state()).build();
        }
        return tombstones.find(sessionId).orElseThrow(() -> unknown(sessionId));
    }

    /** Closes the session and waits for the streamer and renderer to let go of it. Idempotent for a closed session. */
    public void close(String sessionId) {
        requireId(sessionId);
        Session session = cachedOrShared(sessionId);
        if (session == null) {
            if (tombstones.find(sessionId).isPresent()) {
                return;
            }
            throw unknown(sessionId);
        }
        close(followCurrentRegistration(session), "closed by the client", null, true).join();
    }

    public String negotiate(String sessionId, String sdpOffer) {
        Session session = live(sessionId);
        SdpOfferCheck.check(sdpOffer);
        String answer = session.streamer().backend().negotiate(sessionId, sdpOffer);
        String why = "answer sent; waiting for ICE/DTLS";
        SessionEvent connecting = events.stateChanged(sessionId, SessionState.SESSION_STATE_CONNECTING, why);
        if (session.changeStateIfNew(SessionState.SESSION_STATE_CONNECTING, why, connecting, nanoTime.getAsLong())
                && fleet.shared()) {
            fleet.setSessionState(sessionId, SessionState.SESSION_STATE_CONNECTING);
            publishShared(connecting);
        }
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
        requireRenderer(session);
        long utteranceId = nextUtteranceId(session);
        try {
            speakOnce(session, utteranceId, normalized, syncMarkers);
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

    /**
     * One Speak on the session's node renderer. A renderer that answers NOT_FOUND lost the session (it restarted):
     * the session is opened on it again from what the fleet state keeps, and the Speak is sent once more.
     */
    private void speakOnce(Session session, long utteranceId, String text, boolean syncMarkers) {
        RendererBackend renderer = renderers.at(session.rendererAddress());
        try {
            renderer.speak(session.id(), utteranceId, text, syncMarkers);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND && sessions.containsKey(session.id())) {
                log.info("the renderer of session {} does not know it (restarted?); opening it there again", session.id());
                reopenOnRenderer(session);
                renderer.speak(session.id(), utteranceId, text, syncMarkers);
                return;
            }
            throw speechUnavailable(session.rendererAddress(), e);
        }
    }

    /** Opens the session on its node's renderer again (a restarted renderer forgot it), with the spec it had. */
    void reopenOnRenderer(Session session) {
        renderers.at(session.rendererAddress()).openSession(RendererOpenRequest.newBuilder()
                .setSessionId(session.id())
                .setAvatar(session.avatar())
                .setVoice(session.voice())
                .setMedia(session.media())
                .setBusPath(session.streamer().busPath())
                .build());
    }

    private long nextUtteranceId(Session session) {
        if (!fleet.shared()) {
            return session.nextUtteranceId();
        }
        long id = fleet.nextUtteranceId(session.id());
        session.noteUtteranceId(id);
        return id;
    }

    private void requireRenderer(Session session) {
        if (renderers.isDown(session.rendererAddress())) {
            throw Status.UNAVAILABLE.withDescription(SPEECH_UNAVAILABLE).asRuntimeException();
        }
    }

    static final String SPEECH_UNAVAILABLE = "speech is unavailable: the renderer of this session's node is not "
            + "answering; the session stays open (video and silence go on) and speech works again on it once the "
            + "renderer is back; try again in a few seconds";

    private static StatusRuntimeException speechUnavailable(String rendererAddress, RuntimeException e) {
        if (e instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.UNAVAILABLE) {
            return Status.UNAVAILABLE.withDescription(SPEECH_UNAVAILABLE).withCause(e).asRuntimeException();
        }
        if (e instanceof StatusRuntimeException status) {
            return status;
        }
        throw e;
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
        requireRenderer(session);
        long utteranceId = nextUtteranceId(session);
        RendererAudioUpload upload = renderers.at(session.rendererAddress())
                .speakAudio(toRenderer.setUtteranceId(utteranceId).setText(caption).build());
        return new AudioUtterance(utteranceId, upload);
    }

    public long interrupt(String sessionId) {
        long received = nanoTime.getAsLong();
        Session session = live(sessionId);
        requireNegotiated(session);
        // No lock is held across the calls: a Speak still on its way to the renderer does not delay this.
        long discardThrough = fleet.shared() ? session.interruptThrough(fleet.lastUtteranceId(sessionId))
                : session.interruptAll();
        // Streamer first: it takes speech off the wire at the next frame and ignores every record of these
        // utterances still on their way, so the renderer can be told second without delaying the silence.
        long cut = session.streamer().backend().interrupt(sessionId, discardThrough).getUtteranceId();
        metrics.interruptConfirmed(sessionId, nanoTime.getAsLong() - received);
        try {
            renderers.at(session.rendererAddress()).interrupt(sessionId, discardThrough);
        } catch (StatusRuntimeException e) {
            // Speech is already off the wire; a renderer that is down or forgot the session produces nothing anyway.
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE && e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            log.warn("interrupt of session {} did not reach its renderer: {}", sessionId, e.getStatus().getDescription());
        }
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
        Session session = cachedOrShared(sessionId);
        if (session == null) {
            io.facecast.api.v1.Session closed = tombstones.find(sessionId).orElseThrow(() -> unknown(sessionId));
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

    /**
     * Routes one event from a streamer's event stream (pumped by the replica the streamer registered with) to the
     * session's watchers here, records the state it reports in the fleet state, and publishes it to the other
     * replicas, whose watchers get it from there.
     */
    public void onStreamerEvent(StreamerRegistration from, SessionEvent event) {
        Session session;
        try {
            // A session another replica created is loaded once; its later events are checked locally.
            session = cachedOrShared(event.getSessionId());
        } catch (StatusRuntimeException e) {
            session = null;
        }
        boolean hosts = session != null && session.streamer().registrationId().equals(from.registrationId());
        if (!hosts) {
            log.debug("dropping an event for session '{}' that {} does not host here", event.getSessionId(), from);
            return;
        }
        SessionEvent stamped = events.stamped(event);
        if (event.hasSpeechStarted()) {
            metrics.speechStarted(session.id(), event.getSpeechStarted().getUtteranceId(), nanoTime.getAsLong());
        }
        if (event.hasStateChanged()) {
            SessionState state = event.getStateChanged().getState();
            if (state == SessionState.SESSION_STATE_UNSPECIFIED) {
                log.warn("{} sent an unspecified state for session {}; ignored", from, event.getSessionId());
                return;
            }
            if (state == SessionState.SESSION_STATE_CLOSED) {
                String reason = event.getStateChanged().getReason();
                close(session, reason.isEmpty() ? "closed by the streamer" : reason, null, true);
                return;
            }
            if (fleet.shared()) {
                fleet.setSessionState(event.getSessionId(), state);
            }
        }
        publishShared(stamped);
        apply(session, stamped);
    }

    /** An event another replica published: delivered to this replica's watchers of the session, if it has any. */
    void onFleetEvent(SessionEvent event) {
        Session session = sessions.get(event.getSessionId());
        if (session == null) {
            return;
        }
        if (event.hasStateChanged() && isTerminal(event.getStateChanged().getState())) {
            closeHere(session, event.getStateChanged().getReason(), null, event);
            return;
        }
        apply(session, event);
    }

    private void apply(Session session, SessionEvent event) {
        if (!event.hasStateChanged()) {
            session.publish(event);
            return;
        }
        session.changeState(event.getStateChanged().getState(), event.getStateChanged().getReason(), event,
                nanoTime.getAsLong());
    }

    private static boolean isTerminal(SessionState state) {
        return state == SessionState.SESSION_STATE_CLOSED || state == SessionState.SESSION_STATE_FAILED;
    }

    private void publishShared(SessionEvent event) {
        if (!fleet.shared()) {
            return;
        }
        try {
            fleet.publish(event);
        } catch (RuntimeException e) {
            log.warn("could not publish an event of session {} to the other replicas: {}", event.getSessionId(), e.getMessage());
        }
    }

    /**
     * The streamer is gone (no heartbeat): each of its sessions gets an Error event and state FAILED on every
     * replica's event streams, its record and slot go, and the renderer lets go of it.
     */
    public void closeSessionsOn(StreamerRegistration streamer, String reason, String errorMessage) {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (SessionRecord record : fleet.sessionsOn(streamer.streamerId())) {
            ids.add(record.sessionId());
        }
        synchronized (this) {
            for (Session session : sessions.values()) {
                if (session.streamer().streamerId().equals(streamer.streamerId())) {
                    ids.add(session.id());
                }
            }
        }
        for (String id : ids) {
            fail(id, reason, errorMessage);
        }
    }

    /** Ends the session with an Error event and FAILED, here and on every other replica; the streamer is not called. */
    private void fail(String sessionId, String reason, String errorMessage) {
        Session session = sessions.get(sessionId);
        if (session != null) {
            close(session, reason, events.error(sessionId, "UNAVAILABLE", errorMessage), false,
                    SessionState.SESSION_STATE_FAILED);
        } else if (fleet.removeSession(sessionId)) {
            publishShared(events.error(sessionId, "UNAVAILABLE", errorMessage));
            publishShared(events.stateChanged(sessionId, SessionState.SESSION_STATE_FAILED, reason));
        }
    }

    /**
     * A streamer registered (again, with this replica) listing the sessions it still holds: the ones the fleet knows
     * on it are adopted (they go on; this registration serves them from now), the ones the fleet knows on it that it
     * no longer lists are failed (it restarted and lost them), and the ids returned are unknown to the fleet: the
     * streamer must close them.
     */
    public List<String> adopt(StreamerRegistration streamer, java.util.Collection<String> liveSessions) {
        java.util.Set<String> listed = new java.util.LinkedHashSet<>(liveSessions);
        List<String> unknown = new ArrayList<>();
        for (String id : listed) {
            java.util.Optional<SessionRecord> record = fleet.session(id);
            if (record.isPresent() && record.get().streamerId().equals(streamer.streamerId())) {
                fleet.putSession(record.get());
                Session session = sessions.get(id);
                if (session != null) {
                    session.rebind(streamer);
                }
                log.info("session {} adopted: {} still holds it", id, streamer);
            } else {
                unknown.add(id);
            }
        }
        for (SessionRecord record : fleet.sessionsOn(streamer.streamerId())) {
            if (!listed.contains(record.sessionId())) {
                fail(record.sessionId(), "streamer restarted",
                        "streamer " + streamer.streamerId() + " registered again without this session (restarted?); it is gone");
            }
        }
        synchronized (this) {
            for (Session session : List.copyOf(sessions.values())) {
                if (session.streamer().streamerId().equals(streamer.streamerId()) && !listed.contains(session.id())) {
                    fail(session.id(), "streamer restarted", streamer + " registered again without this session "
                            + "(restarted?); it is gone");
                }
            }
        }
        return unknown;
    }

    /**
     * The streamer registered anew elsewhere (this replica's registration of it was superseded): the sessions held
     * here follow its current registration, so calls through this replica reach it over the new channel.
     */
    public void followStreamer(String streamerId) {
        java.util.Optional<StreamerRegistration> current = streamers.find(streamerId);
        if (current.isEmpty()) {
            return;
        }
        for (Session session : sessions.values()) {
            if (session.streamer().streamerId().equals(streamerId)
                    && !session.streamer().registrationId().equals(current.get().registrationId())) {
                session.rebind(current.get());
            }
        }
    }

    /**
     * A node's renderer stopped answering: its sessions (on the given streamers) are told that speech is unavailable;
     * they stay open, video and silence go on.
     */
    public void rendererDown(String rendererAddress, java.util.Collection<String> streamerIds) {
        renderers.markDown(rendererAddress);
        for (String streamerId : streamerIds) {
            for (SessionRecord record : fleet.sessionsOn(streamerId)) {
                SessionEvent error = events.error(record.sessionId(), "UNAVAILABLE", SPEECH_UNAVAILABLE);
                publishShared(error);
                Session session = sessions.get(record.sessionId());
                if (session != null) {
                    session.publish(error);
                }
            }
        }
    }

    /**
     * A node's renderer answers again: its live sessions are opened on it again (it restarted and forgot them), so
     * speech works again on the same sessions. A renderer that still holds a session (ALREADY_EXISTS: it was only
     * slow to answer, never gone) keeps it as it is; its clients are told that speech is back all the same.
     *
     * @return how many sessions were opened again
     */
    public int rendererUp(String rendererAddress, java.util.Collection<String> streamerIds) {
        renderers.markUp(rendererAddress);
        int reopened = 0;
        for (String streamerId : streamerIds) {
            for (SessionRecord record : fleet.sessionsOn(streamerId)) {
                try {
                    Session session = cachedOrShared(record.sessionId());
                    if (session == null) {
                        continue;
                    }
                    try {
                        reopenOnRenderer(session);
                        reopened++;
                    } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                            throw e;
                        }
                    }
                    SessionEvent back = events.stateChanged(session.id(), session.state(),
                            "speech is available again: the renderer is back");
                    publishShared(back);
                    session.publish(back);
                } catch (RuntimeException e) {
                    log.warn("could not open session {} again on its renderer: {}", record.sessionId(), e.getMessage());
                }
            }
        }
        return reopened;
    }

    /** Closes sessions nobody watches and no peer is connected to, for longer than the grace period. */
    public int reapAbandoned() {
        long now = nanoTime.getAsLong();
        long nowMillis = fleet.nowMillis();
        int reaped = 0;
        for (Session session : sessions.values()) {
            if (fleet.shared() && session.watcherCount() > 0) {
                // Other replicas must not reap a session watched here.
                fleet.attended(session.id(), nowMillis);
            }
        }
        for (Session session : sessions.values()) {
            if (session.isAbandoned(now, graceNanos, negotiationGraceNanos) && !attendedElsewhere(session, nowMillis)) {
                try (SessionLogContext ctx = SessionLogContext.of(session.id())) {
                    log.info("reaping session {}: no watcher and no connected peer for over {} ms", session.id(), graceNanos / 1_000_000);
                }
                close(session, "abandoned: no event stream and no connected peer within the grace period", null, true);
                reaped++;
            }
        }
        return reaped;
    }

    /**
     * Takes over the sessions no live replica holds (the replica that created them died, and no client called since,
     * so nobody has them cached): each is claimed by exactly one replica (the store's claim is atomic). A session
     * whose streamer is gone is failed at once (its record and slot go, watchers anywhere get Error and FAILED, the
     * renderer lets go); one whose streamer is alive is loaded here, where the abandonment rule applies to it from
     * now on (a streamer that no longer holds it fails it at its next registration, see {@link #adopt}). Skipped
     * while the shared state is being rebuilt: records written back in that window would look orphaned.
     *
     * @return how many sessions were taken over (failed or loaded)
     */
    public int reapOrphans() {
        if (!fleet.shared() || fleet.rebuilding()) {
            return 0;
        }
        int taken = 0;
        for (Map.Entry<String, String> orphan : fleet.orphanedSessions().entrySet()) {
            String id = orphan.getKey();
            if (!fleet.claimSession(id, orphan.getValue())) {
                continue; // another replica took it first
            }
            taken++;
            if (sessions.containsKey(id)) {
                continue; // cached here already: the abandonment rule covers it
            }
            try (SessionLogContext ctx = SessionLogContext.of(id)) {
                java.util.Optional<SessionRecord> record = fleet.session(id);
                if (record.isEmpty()) {
                    continue; // removed meanwhile
                }
                String streamerId = record.get().streamerId();
                if (fleet.streamer(streamerId).isEmpty()) {
                    log.warn("session {} was held by replica '{}', which is gone, and its streamer {} is gone too: "
                            + "failing it", id, orphan.getValue(), streamerId);
                    failOrphan(record.get());
                } else {
                    log.info("session {} was held by replica '{}', which is gone: held here now", id, orphan.getValue());
                    cachedOrShared(id);
                }
            } catch (StatusRuntimeException e) {
                log.warn("could not take over session {}: {}; it stays an orphan", id, e.getStatus().getDescription());
                bestEffort("give up the claim of session " + id, () -> fleet.unclaimSession(id));
            }
        }
        return taken;
    }

    /** Fails a session nobody has cached whose streamer is gone; the replica whose removal wins tells and cleans up. */
    private void failOrphan(SessionRecord record) {
        String id = record.sessionId();
        if (!fleet.removeSession(id)) {
            return;
        }
        publishShared(events.error(id, "UNAVAILABLE", "streamer " + record.streamerId() + " is gone, and so is the "
                + "signaling replica that held this session; its media is gone: create a new session"));
        publishShared(events.stateChanged(id, SessionState.SESSION_STATE_FAILED, "streamer lost"));
        RendererBackend renderer = renderers.at(record.rendererAddress());
        cleanup.execute(() -> bestEffort("close session " + id + " on the renderer", () -> renderer.closeSession(id)));
    }

    private boolean attendedElsewhere(Session session, long nowMillis) {
        return fleet.shared() && nowMillis - fleet.attendedAt(session.id()) <= graceNanos / 1_000_000;
    }

    /**
     * Writes back what this replica knows after the fleet state lost its data (Redis restarted empty): the records
     * of the sessions it holds (their slots with them).
     */
    public int rewriteRecords() {
        int n = 0;
        for (Session session : sessions.values()) {
            if (!session.isClosed()) {
                fleet.putSession(record(session, "", ""));
                fleet.raiseUtteranceId(session.id(), session.lastUtteranceId());
                n++;
            }
        }
        return n;
    }

    /**
     * This replica is shutting down: every event stream it serves ends with UNAVAILABLE telling the client to watch
     * again through another replica (the sessions go on; any replica serves them).
     *
     * @return how many sessions had watchers here
     */
    public int drainWatchers() {
        int n = 0;
        Status status = Status.UNAVAILABLE.withDescription("this signaling replica is shutting down; the session goes "
                + "on: call WatchEvents again (through another replica) to keep receiving its events");
        for (Session session : sessions.values()) {
            if (session.watcherCount() > 0) {
                session.failWatchers(status);
                n++;
            }
        }
        return n;
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
        io.facecast.internal.v1.RendererCatalog catalog = anyRendererCatalog();
        io.facecast.internal.v1.RendererCatalog.Builder out = catalog.toBuilder();
        for (int i = 0; i < out.getAvatarsCount(); i++) {
            String name = out.getAvatars(i).getName();
            out.setAvatars(i, out.getAvatars(i).toBuilder().setPreviewUrl("/v1/avatars/"
                    + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                    + "/preview.png"));
        }
        return out.build();
    }

    /** The catalog of the first renderer that answers: the default one, then the nodes' renderers. */
    private io.facecast.internal.v1.RendererCatalog anyRendererCatalog() {
        List<RendererBackend> candidates = new ArrayList<>(renderers.all());
        for (io.facecast.signaling.fleet.StreamerRecord streamer : fleet.streamers()) {
            RendererBackend backend = renderers.at(streamer.rendererAddress());
            if (!candidates.contains(backend)) {
                candidates.add(backend);
            }
        }
        StatusRuntimeException last = null;
        for (RendererBackend backend : candidates) {
            try {
                return backend.catalog();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** Snapshots of the live sessions, oldest id order not promised; for operators (./facecast status). */
    public List<io.facecast.api.v1.Session> liveSessions() {
        return sessions.values().stream().map(Session::snapshot).toList();
    }

    // ---- internals ----

    private CompletableFuture<Void> close(Session session, String reason, SessionEvent error, boolean streamerAlive) {
        return close(session, reason, error, streamerAlive, SessionState.SESSION_STATE_CLOSED);
    }

    /**
     * Closes the session here and fleet-wide: the watchers here get the error and the final state, the other
     * replicas get them published; the one replica whose removal of the record wins lets the streamer (when alive)
     * and the renderer go of it.
     */
    private CompletableFuture<Void> close(Session session, String reason, SessionEvent error, boolean streamerAlive,
                                          SessionState finalState) {
        String id = session.id();
        SessionEvent last = events.stateChanged(id, finalState, reason);
        if (!closeHere(session, reason, error, last)) {
            return CompletableFuture.completedFuture(null);
        }
        boolean mine = fleet.removeSession(id);
        if (error != null) {
            publishShared(error);
        }
        publishShared(last);
        if (!mine) {
            return CompletableFuture.completedFuture(null);
        }
        try (SessionLogContext ctx = SessionLogContext.of(id)) {
            log.info("session {} {}: {}", id, finalState == SessionState.SESSION_STATE_FAILED ? "failed" : "closed", reason);
        }
        RendererBackend renderer = renderers.at(session.rendererAddress());
        return CompletableFuture.runAsync(() -> {
            if (streamerAlive) {
                bestEffort("close session " + id + " on " + session.streamer(), () -> session.streamer().backend().closeSession(id));
            }
            bestEffort("close session " + id + " on the renderer", () -> renderer.closeSession(id));
        }, cleanup);
    }

    /** Ends the session on this replica only (its watchers, the cache, a tombstone); false if it already was. */
    private boolean closeHere(Session session, String reason, SessionEvent error, SessionEvent last) {
        if (!session.close(reason, error, last)) {
            return false;
        }
        sessions.remove(session.id(), session);
        metrics.sessionClosed(session.id());
        tombstones.record(session.snapshot());
        return true;
    }

    /**
     * The session as this replica holds it, loaded from the fleet state when another replica created it (any
     * replica serves any call); null when nobody knows it.
     */
    private Session cachedOrShared(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session != null || !fleet.shared()) {
            return session;
        }
        java.util.Optional<SessionRecord> record = fleet.session(sessionId);
        if (record.isEmpty()) {
            return null;
        }
        StreamerRegistration streamer = streamers.find(record.get().streamerId()).orElseThrow(() -> Status.UNAVAILABLE
                .withDescription("session " + sessionId + " is on streamer " + record.get().streamerId()
                        + ", which is not registered right now; try again in a few seconds").asRuntimeException());
        io.facecast.api.v1.Session snapshot = record.get().snapshot();
        Session loaded = new Session(sessionId, streamer, snapshot.getAvatar(), snapshot.getVoice(),
                MediaSpec.newBuilder().setWidth(snapshot.getVideo().getWidth()).setHeight(snapshot.getVideo().getHeight())
                        .setFps(snapshot.getVideo().getFps()).build(),
                snapshot.getIceServersList(), nanoTime.getAsLong());
        loaded.restoreState(record.get().state(), "loaded from the fleet state");
        Session raced = sessions.putIfAbsent(sessionId, loaded);
        return raced != null ? raced : loaded;
    }

    private Session live(String sessionId) {
        requireId(sessionId);
        Session session = cachedOrShared(sessionId);
        if (session != null) {
            return followCurrentRegistration(session);
        }
        if (tombstones.find(sessionId).isPresent()) {
            throw Status.FAILED_PRECONDITION.withDescription("session " + sessionId + " is closed").asRuntimeException();
        }
        throw unknown(sessionId);
    }

    /**
     * Rebinds the session to its streamer's current registration object, not only to a new registration id: the
     * streamer may have registered again, or this replica's view of it was dropped and made anew (its channel shut
     * down) while the shared store was empty after a restart, under the same registration id.
     */
    private Session followCurrentRegistration(Session session) {
        if (fleet.shared()) {
            streamers.find(session.streamer().streamerId())
                    .filter(current -> current != session.streamer())
                    .ifPresent(session::rebind);
        }
        return session;
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

    /** How long a client told "being rebuilt" should wait before it asks again. */
    static final Duration REBUILD_RETRY = Duration.ofSeconds(1);

    /**
     * An id neither this replica nor the fleet state knows: NOT_FOUND, except while the shared state is being
     * rebuilt after a registry restart (the session's holder may not have written it back yet): UNAVAILABLE with a
     * retry hint (HTTP 503 with Retry-After).
     */
    private RuntimeException unknown(String sessionId) {
        if (fleet.shared() && fleet.rebuilding()) {
            return new io.facecast.errors.FacecastException(io.facecast.errors.ErrorCode.UNAVAILABLE, "session "
                    + sessionId + " is not in the shared state right now: it is being rebuilt after a registry (Redis) "
                    + "restart; retry in a second", REBUILD_RETRY);
        }
        return notFound(sessionId);
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
