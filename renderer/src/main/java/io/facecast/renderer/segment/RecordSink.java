package io.facecast.renderer.segment;

import io.facecast.bus.BusMessage;

/** Where a segment's records go: appended in the given order, durably on the bus when the call returns. */
@FunctionalInterface
public interface RecordSink {
    void append(BusMessage... records);
}
