package io.facecast.streamer.schedule;

/** What a session's last pushed video frame was. */
public enum SpeechState {
    /** Idle base (with blinks) and silence. */
    IDLE,
    /** A segment's frame, or a held frame while the renderer is late mid-segment. */
    SPEAKING
}
