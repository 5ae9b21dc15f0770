package io.facecast.renderer;

import io.facecast.bus.BusRecord;
import io.facecast.bus.BusTailer;

import java.util.ArrayList;
import java.util.List;

/** Reads back what was appended: everything available now. */
public final class BusFixture {
    private BusFixture() {}

    public static List<BusRecord> drain(BusTailer tailer) {
        List<BusRecord> out = new ArrayList<>();
        BusRecord r = new BusRecord();
        while (tailer.next(r)) {
            out.add(r.copy());
        }
        return out;
    }
}
