package io.facecast.signaling.session;

import io.facecast.api.v1.IceServer;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.VideoOptions;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.signaling.placement.StreamerRegistration;
import io.facecast.signaling.relay.EventFanout;
import io.facecast.signaling.relay.EventSink;
import java.util.List;
import java.util.function.Function;

/**
 * One live session: where it is placed, its state, its watchers and its utterance numbering. State changes and
 * event delivery happen under this object's lock, so every watcher sees one order and a new watcher's "current
 * state" is never followed by an older event.
 */
public final class Session {

    private final String id;
    private volatile StreamerRegistration streamer;
    private final String avatar;
    private final String voice;
    private final MediaSpec media;
    private final List<IceServer> iceServers;
    private final EventFanout watchers = new EventFanout();

    private SessionState state = SessionState.SESSION_STATE_NEW;
    private String reason = "created";
    private long lastUtteranceId;
    private long interruptedThrough;
    private long lastAttendedNanos;
    private boolean closed;

    Session(String id, StreamerRegistration streamer, String avatar, String voice, MediaSpec media,
            List<IceServer> iceServers, long nowNanos) {
        this.id = id;
        this.streamer = streamer;
        this.avatar = avatar;
        this.voice = voice;
        this.media = media;
        this.iceServers = List.copyOf(iceServers);
        this.lastAttendedNanos = nowNanos;
    }

    public String id() {
        return id;
    }

    public StreamerRegistration streamer() {
        return streamer;
    }

    /** The streamer registered again (with this or another replica) and still holds the session: adopt it. */
    void rebind(StreamerRegistration registration) {
        this.streamer = registration;
    }

    /** Where the session's speech is rendered: its node's renderer; empty: signaling's default renderer. */
    public String rendererAddress() {
        return streamer.rendererAddress();
    }

    public String avatar() {
        return avatar;
    }

    public String voice() {
        return voice;
    }

    public MediaSpec media() {
        return media;
    }

    /** A session loaded from the fleet state starts in the state recorded there. */
    synchronized void restoreState(SessionState recorded, String why) {
        if (!closed && recorded != SessionState.SESSION_STATE_UNSPECIFIED) {
            state = recorded;
            reason = why;
        }
    }

    public synchronized SessionState state() {
        return state;
    }

    public synchronized io.facecast.api.v1.Session snapshot() {
        return io.facecast.api.v1.Session.newBuilder()
                .setSessionId(id)
                .setState(state)
                .setAvatar(avatar)
                .setVoice(voice)
                .setVideo(VideoOptions.newBuilder().setWidth(media.getWidth()).setHeight(media.getHeight()).setFps(media.getFps()))
                .addAllIceServers(iceServers)
                .setStreamerId(streamer.streamerId())
                .build();
    }

    /**
     * Assigns the next utterance id (1, 2, 3, ...). Only the id is assigned under this lock; the renderer is called
     * after it is released, so an Interrupt never waits behind a slow Speak (the renderer orders what it receives by
     * id, and discards ids an interrupt already covered).
     */
    synchronized long nextUtteranceId() {
        return ++lastUtteranceId;
    }

    /** Marks every utterance assigned so far as interrupted and returns the last one's id. */
    synchronized long interruptAll() {
        interruptedThrough = lastUtteranceId;
        return lastUtteranceId;
    }

    /** Notes an id assigned elsewhere (the fleet's counter), so the local numbering never goes back. */
    synchronized void noteUtteranceId(long utteranceId) {
        lastUtteranceId = Math.max(lastUtteranceId, utteranceId);
    }

    /** Marks every utterance up to this id (the fleet's last one) as interrupted and returns it. */
    synchronized long interruptThrough(long utteranceId) {
        lastUtteranceId = Math.max(lastUtteranceId, utteranceId);
        interruptedThrough = lastUtteranceId;
        return lastUtteranceId;
    }

    /** True when an Interrupt issued after this id was assigned covers it. */
    synchronized boolean wasInterrupted(long utteranceId) {
        return utteranceId <= interruptedThrough;
    }

    synchronized long lastUtteranceId() {
        return lastUtteranceId;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Adds a watcher after sending it the current state.
     *
     * @return false when the session had already closed (the watcher got CLOSED and was completed)
     */
    synchronized boolean watch(EventSink sink, Function<SessionState, SessionEvent> currentStateEvent, long nowNanos) {
        if (closed) {
            EventFanout once = new EventFanout();
            once.add(sink);
            once.closeAll(currentStateEvent.apply(state));
            return false;
        }
        EventFanout first = new EventFanout();
        first.add(sink);
        first.publish(currentStateEvent.apply(state));
        if (first.size() == 1) {
            watchers.add(sink);
        }
        lastAttendedNanos = nowNanos;
        return true;
    }

    synchronized void unwatch(EventSink sink, long nowNanos) {
        if (watchers.remove(sink) && watchers.size() == 0) {
            // The grace period starts when the last watcher leaves.
            lastAttendedNanos = nowNanos;
        }
    }

    synchronized String reason() {
        return reason;
    }

    synchronized int watcherCount() {
        return watchers.size();
    }

    /** Relays an event that does not change the state. */
    synchronized void publish(SessionEvent event) {
        if (!closed) {
            watchers.publish(event);
        }
    }

    /** Moves to a non-closed state and tells the watchers with the given event. */
    synchronized void changeState(SessionState newState, String why, SessionEvent event, long nowNanos) {
        if (closed) {
            return;
        }
        if (state == SessionState.SESSION_STATE_CONNECTED || newState == SessionState.SESSION_STATE_CONNECTED) {
            lastAttendedNanos = nowNanos;
        }
        state = newState;
        reason = why;
        watchers.publish(event);
    }

    /** NEW becomes CONNECTING once the offer is answered; a later state reported by the streamer is kept. */
    synchronized boolean changeStateIfNew(SessionState newState, String why, SessionEvent event, long nowNanos) {
        if (state != SessionState.SESSION_STATE_NEW) {
            return false;
        }
        changeState(newState, why, event, nowNanos);
        return true;
    }

    /**
     * Closes the session: the optional error and then the CLOSED state go to every watcher, and their streams end.
     *
     * @return false if it was already closed
     */
    synchronized boolean close(String why, SessionEvent errorOrNull, SessionEvent closedEvent) {
        if (closed) {
            return false;
        }
        closed = true;
        state = closedEvent.hasStateChanged() ? closedEvent.getStateChanged().getState() : SessionState.SESSION_STATE_CLOSED;
        reason = why;
        if (errorOrNull != null) {
            watchers.publish(errorOrNull);
        }
        watchers.closeAll(closedEvent);
        return true;
    }

    /** Ends every watcher's stream with this status (signaling is shutting down; they reconnect elsewhere). */
    synchronized void failWatchers(io.grpc.Status status) {
        watchers.failAll(status);
    }

    synchronized boolean isConnected() {
        return state == SessionState.SESSION_STATE_CONNECTED;
    }

    /**
     * True when nobody watches, no peer is connected, and that has been so for longer than the grace period; a
     * session never negotiated (still NEW) gets only the negotiation grace, so unused sessions free their slot soon.
     */
    synchronized boolean isAbandoned(long nowNanos, long graceNanos, long negotiationGraceNanos) {
        long limit = state == SessionState.SESSION_STATE_NEW ? Math.min(graceNanos, negotiationGraceNanos) : graceNanos;
        return !closed
                && watchers.size() == 0
                && state != SessionState.SESSION_STATE_CONNECTED
                && nowNanos - lastAttendedNanos > limit;
    }
}
