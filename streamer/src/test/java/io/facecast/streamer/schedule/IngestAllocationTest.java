package io.facecast.streamer.schedule;

import io.facecast.bus.BusAppender;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.I420;
import io.facecast.bus.MediaBus;
import io.facecast.streamer.ingest.BusIngest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the bus ingest allocates per record it hands to the scheduler, beyond the payload arrays (which the decode
 * must allocate): the decoded record itself, its session id and region, the scheduler inbox's node, and nothing
 * per record on top (measured 117 bytes; 231 while a catch-all holder was filled and copied for every record).
 * Heap bytes counted by the JVM for the ingest's thread: exact, whatever else the machine does.
 */
class IngestAllocationTest {
    /** Well under the 231 bytes of the copying path, well over the 117 measured. */
    private static final double MAX_BYTES_PER_RECORD = 180;

    @TempDir
    Path dir;

    @Test
    void routingARecordAllocatesLittleBeyondItsPayload() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double perRecord = 0;
        for (int round = 0; round < 2; round++) { // the first round warms the path up
            String s = "s" + round;
            VirtualClock clock = new VirtualClock();
            StreamerScheduler scheduler = StreamerScheduler.virtual(clock, SchedulerConfig.defaults());
            scheduler.open(SessionSpec.of(s, Media.W, Media.H, 30), new RecordingSink(clock), new RecordingListener());
            Media.Utterance u = Media.Utterance.ofMillis(s, 1, 48_000, 30, 60_000);
            try (BusAppender renderer = new BusAppender(MediaBus.sessionQueue(dir, s));
                 BusIngest ingest = new BusIngest(x -> BusTailer.ofSession(dir, x), scheduler::accept, x -> true,
                         clock::nanoTime)) {
                for (BusMessage r : u.all()) {
                    renderer.append(r);
                }
                ingest.subscribe(s);
                long before = mx.getCurrentThreadAllocatedBytes();
                long records = 0;
                for (int got; (got = ingest.drain()) > 0; ) {
                    records += got;
                }
                long bytes = mx.getCurrentThreadAllocatedBytes() - before;
                assertEquals(2 + 2L * u.frames, records, "every record routed");
                long payload = u.frames * (long) I420.size(Media.MOUTH_W, Media.MOUTH_H) + 2 * u.samples;
                perRecord = (bytes - payload) / (double) records;
            }
        }
        System.out.printf("bus ingest: %.1f heap bytes per record routed beyond its payload%n", perRecord);
        assertTrue(perRecord < MAX_BYTES_PER_RECORD, perRecord + " bytes per record");
    }
}
