package io.facecast.renderer.session;

/** Told when the renderer is done with an utterance (metrics, logs, tests). Called on a worker thread. */
public interface SegmentObserver {
    SegmentObserver NONE = (sessionId, utteranceId, outcome) -> {};

    enum Outcome { WRITTEN, CANCELLED, FAILED }

    void segmentDone(String sessionId, long utteranceId, Outcome outcome);
}
