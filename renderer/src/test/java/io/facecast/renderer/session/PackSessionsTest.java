package io.facecast.renderer.session;

import io.facecast.bus.BusRecord;
import io.facecast.bus.BusTailer;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.FaceStyle;
import io.facecast.renderer.avatar.pack.PackWriter;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Avatars chosen per session from packs; a bad avatar request fails alone. */
class PackSessionsTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path root;
    Path busDir, packs;
    BusTailer tailer;
    ExecutorService pool;
    BusAppenders buses;
    RenderSessions sessions;
    final BlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        busDir = root.resolve("streamer-1");
        packs = Files.createDirectories(root.resolve("packs"));
        tailer = new BusTailer(busDir);
        pool = Executors.newFixedThreadPool(2);
        buses = new BusAppenders();
        sessions = new RenderSessions(SharedTts.get(), AvatarRegistry.withPackFolder(packs), buses, pool,
                (s, u, o) -> done.add(o));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        sessions.close();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        buses.close();
        tailer.close();
    }

    @Test
    void brokenAndUnknownAvatarsFailTheirOpenWhileAnotherSessionSpeaks() throws Exception {
        MediaSpec media = MediaSpec.newBuilder().setWidth(256).setHeight(256).build();
        sessions.open("ok", "ada", "", media, busDir.toString());
        List<BusRecord> idle = BusFixture.drain(tailer);
        assertEquals(RecordKind.IDLE_BASE, idle.get(0).kind());
        assertEquals(256, idle.get(0).frameWidth());

        PackWriter.exportProcedural(FaceStyle.DEFAULT, packs.resolve("default"));
        Files.move(packs.resolve("default"), packs.resolve("broken"));
        // the manifest still says "default": the folder name and the name disagree
        RendererException bad = assertThrows(RendererException.class,
                () -> sessions.open("b", "broken", "", media, busDir.toString()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.code());
        assertTrue(bad.getMessage().contains("avatar.json: field 'name' is 'default' but the pack's folder is 'broken'"),
                bad.getMessage());

        RendererException unknown = assertThrows(RendererException.class,
                () -> sessions.open("u", "nobody", "", media, busDir.toString()));
        assertEquals(Status.Code.NOT_FOUND, unknown.code());
        assertTrue(unknown.getMessage().contains("'nobody'") && unknown.getMessage().contains("ada"), unknown.getMessage());
        assertEquals(1, sessions.openSessions());
        assertTrue(BusFixture.drain(tailer).isEmpty(), "failed opens write nothing");

        sessions.speak("ok", 1, "Still here.", false);
        assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(30, TimeUnit.SECONDS));
        assertTrue(BusFixture.drain(tailer).stream().anyMatch(r -> r.kind() == RecordKind.VIDEO && r.sessionId().equals("ok")));

        // a pack dropped in while the renderer runs is used by the next open
        PackWriter.exportProcedural(new FaceStyle("newcomer", FaceStyle.ADA.backgroundTop(), FaceStyle.ADA.backgroundBottom(),
                FaceStyle.ADA.skin(), FaceStyle.ADA.skinShade(), FaceStyle.ADA.hair(), false, FaceStyle.ADA.iris(),
                FaceStyle.ADA.lip(), 4, 1, FaceStyle.ADA.shirt(), null), packs.resolve("newcomer"));
        assertEquals("newcomer", sessions.open("n", "newcomer", "", media, busDir.toString()).avatar());
    }
}
