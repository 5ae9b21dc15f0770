package io.facecast.renderer.session;

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
 * One writer per streamer queue directory, shared by all sessions hosted there, closed at shutdown. With a bus root
 * (the renderer's {@code --bus-root}) a queue directory must be a direct child of it, as every streamer's
 * {@code <bus-root>/<id>} is: a bus_path anywhere else is refused before any file, queue or writer thread exists.
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

    public synchronized BusWriter forPath(String busPath) {
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
        BusWriter existing = open.get(dir);
        if (existing != null) {
            return existing;
        }
        checkConfined(busPath, dir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "bus_path '" + dir + "' exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "cannot create bus directory '" + dir + "': " + e);
        }
        BusWriter appender;
        try {
            appender = new BusWriter(dir);
        } catch (RuntimeException e) {
            log.warn("cannot open bus queue {}", dir, e);
            throw new RendererException(Status.Code.FAILED_PRECONDITION, "cannot open the bus queue at '" + dir + "': " + e.getMessage());
        }
        open.put(dir, appender);
        return appender;
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
