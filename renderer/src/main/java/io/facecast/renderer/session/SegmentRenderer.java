package io.facecast.renderer.session;

import java.util.function.BooleanSupplier;

/**
 * An utterance written to the bus progressively, one step per render turn: a step writes whatever it can now and
 * returns {@link Progress#WAITING} when it has to wait (for uploaded audio, or for the streamer to play what was
 * written); whoever it waits for wakes the session, which runs another step.
 */
interface SegmentRenderer {
    enum Progress { WAITING, WRITTEN, CANCELLED }

    /** @param cancelled polled before every frame; once true the step returns CANCELLED and writes nothing more */
    Progress step(BooleanSupplier cancelled);

    /** The utterance was discarded (interrupt, close) or ended: let go of its input. */
    default void discarded() {}
}
