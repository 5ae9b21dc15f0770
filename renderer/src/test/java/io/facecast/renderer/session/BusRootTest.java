package io.facecast.renderer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.renderer.RendererException;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer writes queues only directly under its bus root; anything else is refused before a file exists. */
class BusRootTest {
    @TempDir
    Path tmp;

    @Test
    void aQueueDirectlyUnderTheRootIsOpenedAndAnythingElseIsRefusedWithoutATrace() throws Exception {
        Path root = tmp.resolve("bus");
        Path outside = tmp.resolve("elsewhere");
        Files.createDirectories(tmp.resolve("target"));
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("link"), tmp.resolve("target"));
        try (BusAppenders buses = new BusAppenders(root)) {
            for (String path : new String[] {outside.toString(), root.resolve("a/b").toString(), root + "/../elsewhere",
                    root.toString(), "/", "relative", root.resolve("link").toString()}) {
                RendererException e = assertThrows(RendererException.class, () -> buses.forSession(path, "s"), path);
                assertEquals(Status.Code.PERMISSION_DENIED, e.code(), path);
                assertTrue(e.getMessage().contains("bus root"), e.getMessage());
            }
            assertFalse(Files.exists(outside), "nothing created outside the root");
            assertFalse(Files.exists(root.resolve("a")), "nothing created below a refused path");
            assertEquals(0, buses.size(), "no writer (and no writer thread) for a refused path");
            try (var files = Files.list(tmp.resolve("target"))) {
                assertEquals(0, files.count(), "nothing written through the symbolic link");
            }

            BusWriter s1 = buses.forSession(root.resolve("s1").toString(), "a");
            assertSame(s1, buses.forSession(root + "/./s1", "a"), "one writer per queue");
            assertEquals(1, buses.size());
            assertTrue(Files.isDirectory(root.resolve("s1").resolve("a")), "the session's own queue, in its streamer's directory");
        }
    }

    @Test
    void aSessionQueueIsOnePlainDirectoryInItsStreamers() throws Exception {
        Path root = tmp.resolve("bus");
        Path streamer = Files.createDirectories(root.resolve("s1"));
        Files.createDirectories(tmp.resolve("target"));
        Files.createSymbolicLink(streamer.resolve("linked"), tmp.resolve("target"));
        try (BusAppenders buses = new BusAppenders(root)) {
            for (String id : new String[] {"..", ".", "../s2", "a/b", "", "x y"}) {
                RendererException e = assertThrows(RendererException.class, () -> buses.forSession(streamer.toString(), id), id);
                assertEquals(Status.Code.INVALID_ARGUMENT, e.code(), id);
            }
            RendererException e = assertThrows(RendererException.class, () -> buses.forSession(streamer.toString(), "linked"));
            assertEquals(Status.Code.PERMISSION_DENIED, e.code());
            assertEquals(0, buses.size());
            try (var files = Files.list(tmp.resolve("target"))) {
                assertEquals(0, files.count(), "nothing written through the symbolic link");
            }
            try (var files = Files.list(root)) {
                assertEquals(1, files.count(), "nothing created beside the streamer's directory");
            }
        }
    }
}
