package io.facecast.bus;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.nio.file.Path;

/**
 * The way back from a streamer to the renderer: a small queue next to the streamer's media queue
 * ({@link #dirFor}) where the streamer reports, about every 100 ms per session, how far it has read and played, so
 * the renderer can stay a bounded distance ahead of playback instead of writing whole utterances at once.
 *
 * <p>Record layout (little-endian, one per excerpt): version byte ({@link #VERSION}), session id (UTF-8, stop-bit
 * length), utterance id, frames read, buffered milliseconds, producer {@code System.nanoTime()}: four int64.
 * Readers skip records of a newer version rather than misread them.
 *
 * <p>Retention is the writer's: when it rolls to a new cycle it deletes the cycle before the one just released, so
 * the directory holds a minute or two of reports whatever the number of readers.
 */
public final class PlaybackFeedback {
    public static final byte VERSION = 1;
    /** Reports are tiny; the media queue's 64 MiB blocks would only waste address space. */
    static final long BLOCK_SIZE = 1L << 20;
    static final RollCycle ROLL_CYCLE = net.openhft.chronicle.queue.rollcycles.LegacyRollCycles.MINUTELY;

    private PlaybackFeedback() {}

    /**
     * Where a session's playback stands.
     *
     * @param utteranceId    the utterance of the last video frame the streamer has read for the session (0: none yet)
     * @param framesRead     that frame's index + 1
     * @param bufferedMillis media read but not yet played (it may include the end of the previous utterance)
     * @param nanos          when the streamer measured this, {@code System.nanoTime()} (comparable across processes on one host)
     */
    public record Position(String sessionId, long utteranceId, long framesRead, long bufferedMillis, long nanos) {
        /** Frames of {@link #utteranceId} played, estimated from what was read minus what is still buffered. */
        public long framesPlayed(int fps) {
            return framesRead - bufferedMillis * fps / 1000;
        }
    }

    /** {@code <bus-root>/<streamer>.feedback} for the media queue {@code <bus-root>/<streamer>}. */
    public static Path dirFor(Path mediaQueueDir) {
        Path abs = mediaQueueDir.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".feedback");
    }

    private static SingleChronicleQueueBuilder builder(Path dir) {
        return SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(ROLL_CYCLE).blockSize(BLOCK_SIZE);
    }

    /** The streamer's side. One thread at a time. */
    public static final class Writer implements AutoCloseable {
        private final SingleChronicleQueue queue;
        private final ExcerptAppender appender;
        private File previousReleased;

        public Writer(Path dir) {
            this.queue = builder(dir).storeFileListener(this::onReleased).build();
            this.appender = queue.createAppender();
            this.appender.singleThreadedCheckDisabled(true);
        }

        public synchronized void append(Position p) {
            try (DocumentContext dc = appender.writingDocument()) {
                Bytes<?> b = dc.wire().bytes();
                b.writeByte(VERSION);
                b.writeUtf8(p.sessionId());
                b.writeLong(p.utteranceId());
                b.writeLong(p.framesRead());
                b.writeLong(p.bufferedMillis());
                b.writeLong(p.nanos());
            }
        }

        private synchronized void onReleased(int cycle, File file) {
            if (previousReleased != null && !previousReleased.equals(file)) {
                previousReleased.delete();
            }
            previousReleased = file;
        }

        @Override
        public synchronized void close() {
            appender.close();
            queue.close();
        }
    }

    /** The renderer's side: reads reports written from now on. One thread at a time (not necessarily the builder's). */
    public static final class Reader implements AutoCloseable {
        private final SingleChronicleQueue queue;
        private final ExcerptTailer tailer;

        public Reader(Path dir) {
            this.queue = builder(dir).build();
            this.tailer = queue.createTailer().toEnd();
            this.tailer.singleThreadedCheckDisabled(true);
        }

        /** The next report, or null when none is there yet. */
        public Position next() {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return null;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    if (b.readRemaining() < 1 || b.readByte() != VERSION) {
                        continue; // a newer streamer's format: skip it rather than misread it
                    }
                    String session = b.readUtf8();
                    return new Position(session, b.readLong(), b.readLong(), b.readLong(), b.readLong());
                }
            }
        }

        @Override
        public void close() {
            tailer.close();
            queue.close();
        }
    }
}
