package io.facecast.renderer.session;

import io.facecast.bus.BusMessage;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.RendererException;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.FaceStyle;
import io.facecast.bus.I420;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.avatar.pack.BuiltInPacks;
import io.facecast.renderer.avatar.pack.PackWriter;
import io.facecast.renderer.viseme.MouthShape;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    BusFixture.Tail tailer;
    ExecutorService pool;
    BusAppenders buses;
    RenderSessions sessions;
    final BlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        busDir = root.resolve("streamer-1");
        packs = Files.createDirectories(root.resolve("packs"));
        tailer = BusFixture.tail(busDir);
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
        List<BusMessage> idle = BusFixture.drain(tailer);
        assertEquals(RecordKind.IDLE_BASE, idle.get(0).kind());
        assertEquals(256, ((BusMessage.IdleBase) idle.get(0)).width());
        List<BusMessage.IdleBase> breath = BusFixture.only(idle, BusMessage.IdleBase.class);
        assertEquals(BuiltInPacks.get("ada").manifest().idleHolds(), breath.stream().map(BusMessage.IdleBase::hold).toList(),
                "the built-in pack's breathing loop goes out with its holds");

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

    @Test
    void aPackWithAThreeFrameIdleLoopPublishesEveryFrameInOrderWithTheLoopLengthAndHolds() throws Exception {
        // 128x128 frames that differ only in a top-left square: frame i has it grey 40 + 80 i.
        Region eyes = new Region(32, 40, 64, 16), mouth = new Region(40, 80, 48, 24);
        List<BufferedImage> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BufferedImage f = solid(128, 128, new Color(200, 180, 160));
            Graphics2D g = f.createGraphics();
            g.setColor(new Color(40 + 80 * i, 40 + 80 * i, 40 + 80 * i));
            g.fillRect(0, 0, 32, 32);
            g.dispose();
            idle.add(f);
        }
        Map<MouthShape, BufferedImage> mouths = new EnumMap<>(MouthShape.class);
        for (MouthShape m : MouthShape.values()) {
            mouths.put(m, solid(mouth.width(), mouth.height(), new Color(120, 20, 20)));
        }
        List<Integer> holds = List.of(5, 1, 12);
        PackWriter.write(packs.resolve("loop3"), "loop3", idle, holds, eyes, mouth, mouths,
                solid(eyes.width(), eyes.height(), Color.DARK_GRAY));

        MediaSpec media = MediaSpec.newBuilder().setWidth(256).setHeight(256).build();
        sessions.open("l", "loop3", "", media, busDir.toString());
        List<BusMessage> recs = BusFixture.drain(tailer);
        List<BusMessage.IdleBase> bases = BusFixture.only(recs, BusMessage.IdleBase.class);
        assertEquals(3, bases.size());
        assertEquals(4, recs.size(), "the loop, then the eyes-closed overlay");
        assertEquals(RecordKind.IDLE_OVERLAY, recs.get(3).kind());
        for (int i = 0; i < 3; i++) {
            BusMessage.IdleBase b = bases.get(i);
            assertEquals(List.of(i, 3, 256, 256), List.of(b.index(), b.loopLength(), b.width(), b.height()));
            assertEquals(I420.size(256, 256), b.i420().length);
            assertEquals(holds.get(i), b.hold(), "loop frame " + i + "'s hold count travels with it");
            // scaled like the first: the 32 px square is 64 px at 256x256
            if (i > 0) {
                double step = I420.meanLuma(b.i420(), 256, 8, 8, 48, 48)
                        - I420.meanLuma(bases.get(i - 1).i420(), 256, 8, 8, 48, 48);
                assertTrue(step > 50, "frame " + i + " is idle frame " + i + ", 80 grey levels above the one before: " + step);
            }
            assertEquals(I420.meanLuma(bases.get(0).i420(), 256, 128, 128, 64, 64),
                    I420.meanLuma(b.i420(), 256, 128, 128, 64, 64), 0.01, "the rest of the face is the same");
        }
    }

    private static BufferedImage solid(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }
}
