package io.facecast.renderer.playback;

import io.facecast.bus.PlaybackFeedback;
import io.facecast.renderer.session.LookAheadGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 9: a streamer killed and restarted on the same queue writes its feedback queue anew, and its cycle files can
 * disappear under the renderer's reader ("The current cycle seems to have been deleted from under the queue"). The
 * gates read on: reports from the new streamer reach the session's gate.
 */
class FeedbackRestartTest {
    @TempDir
    Path root;

    @Test
    void reportsOfARestartedStreamerReachTheGateAfterItsFilesWereDeleted() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        Path bus = root.resolve("streamer-1");
        Path dir = PlaybackFeedback.dirFor(bus);
        PlaybackGates gates = new PlaybackGates(1_000, 2_000, now::get);
        try {
            LookAheadGate g = gates.open("s", 30, bus);
            PlaybackFeedback.Writer first = new PlaybackFeedback.Writer(dir);
            first.append(new PlaybackFeedback.Position("s", 3, 10, 0, now.get()));
            gates.poll();
            assertEquals(3, g.reportedUtterance());
            // SIGKILL: the writer is never closed. Its files go (a new writer's retention, or an operator).
            for (File f : dir.toFile().listFiles()) {
                f.delete();
            }
            PlaybackFeedback.Writer second = new PlaybackFeedback.Writer(dir);
            try {
                for (int i = 0; i < 50 && g.reportedUtterance() != 4; i++) {
                    second.append(new PlaybackFeedback.Position("s", 4, i, 0, now.get()));
                    gates.poll();
                    now.addAndGet(100_000_000L); // 100 ms a round: the reader is found stale after 2 s
                }
                assertEquals(4, g.reportedUtterance(), "a report of the restarted streamer arrived");
            } finally {
                second.close();
                first.close();
            }
        } finally {
            gates.close();
        }
    }
}
