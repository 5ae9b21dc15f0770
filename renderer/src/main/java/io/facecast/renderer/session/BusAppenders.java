package io.facecast.renderer.session;

import io.facecast.bus.MediaBus;
import io.facecast.renderer.RendererException;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The sessions' queue writers: session S hosted by the streamer whose directory is {@code bus_path} writes to its own
 * queue {@code <bus_path>/<S>} ({@link MediaBus#sessionQueue}); the writer is closed when the session closes, or at
 * shutdown. With a bus root (the renderer's {@code --bus-root}) a streamer directory must be a direct child of it, as
 * every streamer's {@code <bus-root>/<id>} is, and the session id must be one plain directory name: a bus_path
 * anywhere else, or a session id with a separator or dots, is refused before any file or queue exists.
 */
public final class BusAppenders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusAppenders.class);
    private final Map<Path, BusWriter> open = new HashMap<>();
    /** The root as given and as the file system resolves it (symbolic links followed); null: unconfined (tests). */
    private final Path root;
    private final Path realRoot;
    private boolean closed;

    /** Unconfined: any directory. For tests and benchmarks that write to a temporary queue. */
    public BusAppenders() {
        this.root = null;
        this.realRoot = null;
    }

    /** Confined to {@code root}'s direct children; creates {@code root} if missing. */
    public BusAppenders(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toAbsolutePath().normalize();
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use bus root " + root + ": " + e.getMessage(), e);
        }
    }

    /** Opens the queue of {@code sessionId} in the streamer directory {@code busPath}; one writer per queue. */
    public synchronized BusWriter forSession(String busPath, String sessionId) {
        if (closed) {
            throw new RendererException(Status.Code.UNAVAILABLE, "renderer is shutting down");
        }
        if (busPath == null || busPath.isBlank()) {
            throw RendererException.invalid("bus_path is required: the queue directory of the streamer hosting the session");
        }
        Path dir;
        try {
            dir = Path.of(busPath).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw RendererException.invalid("bus_path '" + busPath + "' is not a valid path: " + e.getReason());
        }
        checkConfined(busPath, dir);
        if (!MediaBus.isSafeSessionId(sessionId)) {
            throw RendererException.invalid("session id '" + sessionId + "' cannot name a bus queue: use 1-128 "
                    + "letters, digits, '.', '_' or '-'");
        }
        Path queue = MediaBus.sessionQueue(dir, sessionId);
        BusWriter existing = open.get(queue);
        if (existing != null) {
            return existing;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "bus_path '" + dir + "' exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "cannot create bus directory '" + dir + "': " + e);
        }
        if (Files.isSymbolicLink(queue)) {
            log.warn("refused session queue {}: a symbolic link", queue);
            throw new RendererException(Status.Code.PERMISSION_DENIED, "the bus queue of session '" + sessionId
                    + "' is a symbolic link; a session's queue must be a directory in its streamer's");
        }
        BusWriter appender;
        try {
            appender = new BusWriter(dir, queue);
        } catch (RuntimeException e) {
            log.warn("cannot open bus queue {}", queue, e);
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "cannot open the bus queue at '" + queue + "': " + e.getMessage());
        }
        open.put(queue, appender);
        return appender;
    }

    /** Closes a session's writer (its session closed). */
    public void release(BusWriter writer) {
        synchronized (this) {
            open.remove(writer.queue(), writer);
        }
        writer.close();
    }

    private void checkConfined(String busPath, Path dir) {
        if (root == null) {
            return;
        }
        Path parent = dir.getParent();
        boolean inside = parent != null && (parent.equals(root) || parent.equals(realRoot))
                && !Files.isSymbolicLink(dir);
        if (!inside) {
            log.warn("refused bus_path {}: not a queue directory directly under the bus root {}", busPath, root);
            throw new RendererException(Status.Code.PERMISSION_DENIED, "bus_path '" + busPath
                    + "' is not a queue directory directly under this renderer's bus root (its --bus-root)");
        }
    }

    public synchronized int size() {
        return open.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (BusWriter a : open.values()) {
            try {
                a.close();
            } catch (RuntimeException e) {
                log.warn("closing bus appender {} failed", a, e);
            }
        }
        open.clear();
    }
}
