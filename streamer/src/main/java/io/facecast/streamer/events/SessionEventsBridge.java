package io.facecast.streamer.events;

import io.facecast.api.v1.IceCandidate;
import io.facecast.api.v1.Interrupted;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SessionState;
import io.facecast.api.v1.SpeechFinished;
import io.facecast.api.v1.SpeechStarted;
import io.facecast.api.v1.StateChanged;
import io.facecast.rtc.PeerListener;
import io.facecast.rtc.PeerState;
import io.facecast.streamer.schedule.ScheduleListener;

/**
 * Turns what happens to one session — speech going out on the scheduler thread, ICE candidates and connection changes
 * on the WebRTC event thread — into public {@link SessionEvent}s on the streamer's event stream.
 */
public final class SessionEventsBridge implements ScheduleListener, PeerListener {
    private final String sessionId;
    private final StreamerEvents events;
    private final Runnable onPeerGone;

    public SessionEventsBridge(String sessionId, StreamerEvents events, Runnable onPeerGone) {
        this.sessionId = sessionId;
        this.events = events;
        this.onPeerGone = onPeerGone;
    }

    private SessionEvent.Builder event() {
        return SessionEvent.newBuilder().setSessionId(sessionId);
    }

    @Override
    public void speechStarted(String session, long utteranceId, long mediaTimeMs, String text) {
        events.publish(event().setSpeechStarted(SpeechStarted.newBuilder()
                .setUtteranceId(utteranceId).setMediaTimeMs(mediaTimeMs).setText(text)));
    }

    @Override
    public void wordStarted(String session, long utteranceId, long mediaTimeMs, int textOffset, int textLength,
                            String word) {
        events.publish(event().setWordStarted(io.facecast.api.v1.WordStarted.newBuilder().setUtteranceId(utteranceId)
                .setMediaTimeMs(mediaTimeMs).setTextOffset(textOffset).setTextLength(textLength).setWord(word)));
    }

    @Override
    public void utteranceFailed(String session, long utteranceId, String code, String message) {
        events.publish(event().setError(io.facecast.api.v1.Error.newBuilder().setCode(code).setMessage(message)
                .setUtteranceId(utteranceId)));
    }

    @Override
    public void speechFinished(String session, long utteranceId, long mediaTimeMs, long durationMs) {
        events.publish(event().setSpeechFinished(SpeechFinished.newBuilder()
                .setUtteranceId(utteranceId).setMediaTimeMs(mediaTimeMs).setDurationMs(durationMs)));
    }

    @Override
    public void interrupted(String session, long utteranceId, long positionMs, long mediaTimeMs) {
        events.publish(event().setInterrupted(Interrupted.newBuilder()
                .setUtteranceId(utteranceId).setPositionMs(positionMs).setMediaTimeMs(mediaTimeMs)));
    }

    @Override
    public void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
        events.publish(event().setIceCandidate(IceCandidate.newBuilder()
                .setSdpMid(sdpMid == null ? "" : sdpMid).setSdpMlineIndex(sdpMLineIndex).setCandidate(candidate)));
    }

    @Override
    public void onConnectionState(PeerState state) {
        switch (state) {
            case CONNECTED -> stateChanged(SessionState.SESSION_STATE_CONNECTED, "peer connected");
            case DISCONNECTED -> stateChanged(SessionState.SESSION_STATE_CONNECTING, "peer disconnected; waiting for it to come back");
            case FAILED -> {
                stateChanged(SessionState.SESSION_STATE_CLOSED, "peer connection failed");
                onPeerGone.run();
            }
            case CLOSED -> {
                stateChanged(SessionState.SESSION_STATE_CLOSED, "peer connection closed");
                onPeerGone.run();
            }
            default -> { }
        }
    }

    private void stateChanged(SessionState state, String reason) {
        events.publish(event().setStateChanged(StateChanged.newBuilder().setState(state).setReason(reason)));
    }
}
