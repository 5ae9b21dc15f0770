package io.facecast.renderer.session;

import io.facecast.bus.BusCodec;
import io.facecast.bus.BusMessage;
import io.facecast.bus.MediaBus;
import io.facecast.bus.MediaFormat;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.Stream;

/**
 * What a session's queue still holds, written by an earlier renderer instance (one that was killed
 * and restarted: signaling then opens the node's live sessions again). Read once at open, from the oldest cycle
 * file left (the streamer deletes a cycle only after reading past it, so what is gone was read).
 *
 * @param lastUtteranceId the highest utterance id among the session's records (0: none)
 * @param idleFrames      the idle loop frames (IDLE_BASE sequence) present for the given frame size and loop length
 * @param idleOverlay     whether the eyes-closed overlay of that frame size is present
 * @param records         how many records of the session were found (0: a fresh session)
 */
record QueueHistory(long lastUtteranceId, BitSet idleFrames, boolean idleOverlay, long records) {
    private static final Logger log = LoggerFactory.getLogger(QueueHistory.class);
    static final QueueHistory NONE = new QueueHistory(0, new BitSet(), false, 0);

    /** Whether the queue holds the complete idle material: the streamer has it or will read it, no need to write it again. */
    boolean holdsIdle(int loopLength) {
        return idleOverlay && idleFrames.cardinality() == loopLength && idleFrames.nextSetBit(loopLength) < 0;
    }

    boolean found() {
        return records > 0;
    }

    /**
     * Scans the session's queue {@code queue} (it holds only this session's records); idle material counts only if
     * it has the given frame size and loop length (what this instance would publish). Best effort: a queue that
     * cannot be read (cycles deleted while scanning) gives what was read so far. Never deletes anything: the
     * streamer, the queue's one reader, does that.
     */
    static QueueHistory scan(Path queue, int width, int height, int loopLength) {
        if (!Files.isDirectory(queue) || !hasCycleFiles(queue)) {
            return NONE;
        }
        long last = 0;
        long records = 0;
        BitSet idle = new BitSet();
        boolean overlay = false;
        try (SingleChronicleQueue q = MediaBus.openForTail(queue, MediaBus.DEFAULT_ROLL_CYCLE,
                SystemTimeProvider.INSTANCE, (cycle, file) -> { });
             ExcerptTailer tailer = q.createTailer().toStart()) {
            while (true) {
                BusMessage m;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    m = BusCodec.decode(dc.wire().bytes());
                }
                records++;
                if (MediaFormat.compareUtterances(m.utteranceId(), last) > 0) {
                    last = m.utteranceId();
                }
                if (m instanceof BusMessage.IdleBase b && b.width() == width && b.height() == height
                        && b.loopLength() == loopLength && b.index() >= 0 && b.index() < loopLength) {
                    idle.set(b.index());
                } else if (m instanceof BusMessage.IdleOverlay o && o.frameWidth() == width
                        && o.frameHeight() == height && o.index() == 0) {
                    overlay = true;
                }
            }
        } catch (RuntimeException e) {
            log.warn("reading what {} holds stopped early ({}); using the {} record(s) read", queue, e.toString(),
                    records);
        }
        return new QueueHistory(last, idle, overlay, records);
    }

    private static boolean hasCycleFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
        } catch (IOException e) {
            return false;
        }
    }
}
