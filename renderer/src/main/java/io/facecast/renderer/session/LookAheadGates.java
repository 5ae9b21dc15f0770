package io.facecast.renderer.session;

import java.nio.file.Path;

/** Makes each session's {@link LookAheadGate}, given the bus directory of the streamer hosting it. */
public interface LookAheadGates {
    LookAheadGates NONE = new LookAheadGates() {
        @Override
        public LookAheadGate open(String sessionId, int fps, Path busDir) {
            return LookAheadGate.OPEN;
        }

        @Override
        public void close(String sessionId, Path busDir) {}
    };

    LookAheadGate open(String sessionId, int fps, Path busDir);

    /** The session closed: its gate wakes whatever it holds and forgets the session. */
    void close(String sessionId, Path busDir);
}
