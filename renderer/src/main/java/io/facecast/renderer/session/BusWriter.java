package io.facecast.renderer.session;

import io.facecast.bus.BusAppender;
import io.facecast.bus.BusMessage;
import io.facecast.renderer.segment.RecordSink;

import java.nio.file.Path;

/**
 * One session's queue ({@code <streamer-dir>/<session-id>}): appends on the caller's thread under the
 * {@link BusAppender}'s lock, the bus's one threading model (render threads are never interrupted: cancellation is a
 * polled mark, see {@link RenderSession}). Closed with the session; appends after that are dropped. The streamer,
 * the queue's reader, deletes the queue.
 */
final class BusWriter implements RecordSink, AutoCloseable {
    private final BusAppender appender;
    private final Path streamerDir;

    BusWriter(Path streamerDir, Path queue) {
        this.streamerDir = streamerDir;
        this.appender = new BusAppender(queue);
    }

    /** The streamer's directory (its playback reports lie next to it). */
    Path dir() {
        return streamerDir;
    }

    /** The session's queue. */
    Path queue() {
        return appender.dir();
    }

    @Override
    public void append(BusMessage... records) {
        for (BusMessage r : records) {
            appender.append(r);
        }
    }

    @Override
    public void close() {
        appender.close();
    }
}
