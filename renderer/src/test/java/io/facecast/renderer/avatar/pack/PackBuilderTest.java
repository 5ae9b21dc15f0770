package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.FaceStyle;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PackBuilderTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path dir;

    /** A loose folder of full frames, as an artist would export them. */
    Path fullFrames() throws IOException {
        Path from = Files.createDirectories(dir.resolve("art"));
        DefaultAvatar face = new DefaultAvatar(512, 512, FaceStyle.ADA);
        ImageIO.write(face.drawFrame(true, MouthShape.X.pose), "png", from.resolve("idle.png").toFile());
        ImageIO.write(face.drawFrame(false, MouthShape.X.pose), "png", from.resolve("blink.png").toFile());
        for (MouthShape s : MouthShape.values()) {
            ImageIO.write(face.drawFrame(true, s.pose), "png", from.resolve(s.name() + ".png").toFile());
        }
        Files.writeString(from.resolve("notes.txt"), "not an image: ignored");
        return from;
    }

    @Test
    void buildsFromFullFramesDetectingTheRegions() throws IOException {
        Path out = dir.resolve("packs/artface");
        PackBuilder.Built b = PackBuilder.build(fullFrames(), out, "artface", null, null);
        Region mouth = b.manifest().mouth(), eyes = b.manifest().eyes();
        Region drawn = new DefaultAvatar(512, 512).mouthRegion(); // where the face draws every mouth
        assertTrue(mouth.x() >= drawn.x() - 8 && mouth.y() >= drawn.y() - 8
                && mouth.x() + mouth.width() <= drawn.x() + drawn.width() + 8
                && mouth.y() + mouth.height() <= drawn.y() + drawn.height() + 8, "mouth " + mouth + " around " + drawn);
        assertTrue(mouth.x() < 220 && mouth.x() + mouth.width() > 292 && mouth.y() < 320 && mouth.y() + mouth.height() > 350,
                "covers the open mouth: " + mouth);
        assertTrue(eyes.y() + eyes.height() <= mouth.y(), "eyes " + eyes + " above the mouth");
        assertEquals(2, b.notes().size(), b.notes().toString());

        AvatarPack pack = PackLoader.load(PackFiles.folder(out));
        assertEquals("artface", pack.name());
        assertTrue(pack.blinks());
        PackAvatar built = new PackAvatar(pack, 512, 512);
        PackAvatar shipped = new PackAvatar(BuiltInPacks.get("ada"), 512, 512);
        assertTrue(PackAvatarTest.meanAbsDiff(shipped.idleBase(), built.idleBase()) < 0.5, "the same face as the shipped ada");
    }

    @Test
    void regionSizedImagesNeedTheRegionsGiven() throws IOException {
        Path from = fullFrames();
        Region m = new Region(188, 294, 136, 84);
        for (MouthShape s : MouthShape.values()) {
            BufferedImage full = ImageIO.read(from.resolve(s.name() + ".png").toFile());
            ImageIO.write(full.getSubimage(m.x(), m.y(), m.width(), m.height()), "png", from.resolve(s.name() + ".png").toFile());
        }
        Files.delete(from.resolve("blink.png"));
        InvalidPackException e = assertThrows(InvalidPackException.class,
                () -> PackBuilder.build(from, dir.resolve("a"), "a", null, null));
        assertTrue(e.problems().get(0).contains("give it with --mouth"), e.problems().toString());

        PackBuilder.Built b = PackBuilder.build(from, dir.resolve("a"), "a", m, null);
        assertEquals(m, b.manifest().mouth());
        assertNull(b.manifest().eyes(), "no blink, no eyes region");
        assertFalse(PackLoader.load(PackFiles.folder(dir.resolve("a"))).blinks());
    }

    @Test
    void badInputFilesAreNamed() throws IOException {
        Path from = fullFrames();
        Files.writeString(from.resolve("Q.png"), "x");
        Files.writeString(from.resolve("smile.png"), "x");
        Files.delete(from.resolve("H.png"));
        Files.writeString(from.resolve("C.png"), "not a png");
        List<String> problems = assertThrows(InvalidPackException.class,
                () -> PackBuilder.build(from, dir.resolve("b"), "b", null, null)).problems();
        PackLoaderTest.assertProblem(problems, "Q.png", "unknown viseme 'Q'");
        PackLoaderTest.assertProblem(problems, "smile.png", "not a pack image");
        PackLoaderTest.assertProblem(problems, "H.png", "missing");
        PackLoaderTest.assertProblem(problems, "C.png", "not a readable PNG");
    }
}
