package io.facecast.renderer.session;

import io.facecast.renderer.RendererException;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One writer per streamer queue directory, shared by all sessions hosted there, closed at shutdown. */
public final class BusAppenders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusAppenders.class);
    private final Map<Path, BusWriter> open = new HashMap<>();
    private boolean closed;

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
