package io.facecast.streamer.schedule;

/**
 * Speech events of a session, fired on the scheduler thread when the media actually went out (not when it was
 * received). Media times are milliseconds on the session timeline: {@code floor(k * 1000 / fps)} for video frame k,
 * frame 0 being pushed when the session was opened. Implementations hand the event off and return at once.
 */
public interface ScheduleListener {
    ScheduleListener NONE = new ScheduleListener() {};

    /** The first video frame of utterance {@code utteranceId} was pushed at {@code mediaTimeMs}. */
    default void speechStarted(String sessionId, long utteranceId, long mediaTimeMs, String text) {}

    /**
     * The video frame holding the first phoneme of a word (text {@code [textOffset, textOffset + textLength)} of the
     * utterance) was pushed at {@code mediaTimeMs}.
     */
    default void wordStarted(String sessionId, long utteranceId, long mediaTimeMs, int textOffset, int textLength,
                             String word) {}

    /**
     * The last video frame of the utterance was pushed at {@code mediaTimeMs}; {@code durationMs} is how long it
     * occupied the timeline (from its first frame to the end of its last, holds for a late renderer included).
     */
    default void speechFinished(String sessionId, long utteranceId, long mediaTimeMs, long durationMs) {}

    /**
     * The utterance ended early on the renderer (a TTS backend or an upload failed: {@code code} is a
     * google.rpc.Code name); fired right after {@link #speechFinished}, once what was rendered has played.
     */
    default void utteranceFailed(String sessionId, long utteranceId, String code, String message) {}

    /**
     * Playback of the utterance was cut by an interrupt: {@code positionMs} of its audio had been played, and the
     * session went idle at {@code mediaTimeMs}.
     */
    default void interrupted(String sessionId, long utteranceId, long positionMs, long mediaTimeMs) {}
}
