package io.facecast.renderer.session;

/**
 * How far a session's renderer may run ahead of playback. Asked before every frame; a closed gate keeps the frame
 * unwritten and promises to run {@code wake} once it may be written (or waiting no longer makes sense), so a session
 * waiting for playback parks instead of holding a render thread.
 */
public interface LookAheadGate {
    LookAheadGate OPEN = (utteranceId, frame, wake) -> true;

    boolean mayWrite(long utteranceId, int frame, Runnable wake);

    /** The utterance of the streamer's latest playback report for this session (0: none yet or unknown). */
    default long reportedUtterance() {
        return 0;
    }
}
