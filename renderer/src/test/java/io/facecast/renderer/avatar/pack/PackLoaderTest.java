package io.facecast.renderer.avatar.pack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every validation error names the file and says what is wrong. */
class PackLoaderTest {
    @TempDir
    Path dir;

    List<String> problems(Path pack) {
        InvalidPackException e = assertThrows(InvalidPackException.class, () -> PackLoader.load(PackFiles.folder(pack)));
        assertTrue(e.getMessage().contains(pack.toAbsolutePath().toString()), "message says which pack: " + e.getMessage());
        return e.problems();
    }

    static void assertProblem(List<String> problems, String file, String... words) {
        for (String p : problems) {
            if (p.startsWith(file + ": ") && List.of(words).stream().allMatch(p::contains)) {
                return;
            }
        }
        fail("expected a problem of " + file + " mentioning " + List.of(words) + " in " + problems);
    }

    @Test
    void aValidPackLoads() {
        AvatarPack p = PackLoader.load(PackFiles.folder(PackFixture.pack(dir, "ok")));
        assertEquals("ok", p.name());
        assertEquals(512, p.width());
        assertTrue(p.blinks());
        assertEquals(1, p.idleFrames());
    }

    @Test
    void missingManifest() throws IOException {
        Path p = PackFixture.pack(dir, "nomanifest");
        Files.delete(p.resolve("avatar.json"));
        assertProblem(problems(p), "avatar.json", "missing");
    }

    @Test
    void badJsonSaysLineAndColumn() throws IOException {
        Path p = PackFixture.pack(dir, "badjson");
        PackFixture.edit(p, "\"width\": 512,", "\"width\": 512");
        List<String> problems = problems(p);
        assertProblem(problems, "avatar.json", "not valid JSON", "line 5");
    }

    @Test
    void anIdleLoopMayRepeatFramesUpToTheStreamersLimit() throws IOException {
        Path ok = PackFixture.pack(dir, "loop");
        PackFixture.edit(ok, "\"idle/00.png\"", String.join(", ", java.util.Collections.nCopies(PackManifest.MAX_IDLE_FRAMES, "\"idle/00.png\"")));
        assertEquals(PackManifest.MAX_IDLE_FRAMES, PackLoader.load(PackFiles.folder(ok)).idleFrames());

        Path tooLong = PackFixture.pack(dir, "toolong");
        PackFixture.edit(tooLong, "\"idle/00.png\"", String.join(", ", java.util.Collections.nCopies(PackManifest.MAX_IDLE_FRAMES + 1, "\"idle/00.png\"")));
        assertProblem(problems(tooLong), "avatar.json", "'idle'", "65 frames", "at most 64");
    }

    @Test
    void idleFramesMayBeHeldForSeveralVideoFrames() throws IOException {
        Path ok = PackFixture.pack(dir, "held");
        PackFixture.edit(ok, "\"idle/00.png\"", "{\"file\": \"idle/00.png\", \"hold\": 40}, \"idle/00.png\", "
                + "{\"file\": \"idle/00.png\", \"hold\": " + PackManifest.MAX_IDLE_HOLD + "}, {\"file\": \"idle/00.png\"}");
        AvatarPack p = PackLoader.load(PackFiles.folder(ok));
        assertEquals(4, p.idleFrames());
        assertEquals(List.of(40, 1, PackManifest.MAX_IDLE_HOLD, 1), p.manifest().idleHolds());
        // What pack build / export write reads back the same.
        PackManifest again = PackManifest.parse(p.manifest().toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "held", "again");
        assertEquals(p.manifest(), again);
        assertTrue(p.manifest().toJson().contains("\"hold\": 40"), p.manifest().toJson());
    }

    @Test
    void holdsOutside1To255AndBadIdleEntriesNameTheEntry() throws IOException {
        Path p = PackFixture.pack(dir, "badhold");
        PackFixture.edit(p, "\"idle/00.png\"", "{\"file\": \"idle/00.png\", \"hold\": 0}, "
                + "{\"file\": \"idle/00.png\", \"hold\": 256}, {\"file\": \"idle/00.png\", \"hold\": 2.5}, "
                + "{\"hold\": 3}, {\"file\": \"idle/00.png\", \"hold\": 2, \"speed\": 1}, "
                + "{\"file\": \"idle/00.png\", \"hold\": \"long\"}");
        List<String> problems = problems(p);
        assertProblem(problems, "avatar.json", "'idle[0].hold' is 0", "1..255", "video frames");
        assertProblem(problems, "avatar.json", "'idle[1].hold' is 256", "1..255");
        assertProblem(problems, "avatar.json", "'idle[2].hold'", "whole number");
        assertProblem(problems, "avatar.json", "'idle[3].file' is missing");
        assertProblem(problems, "avatar.json", "'idle[4].speed' is unknown");
        assertProblem(problems, "avatar.json", "'idle[5].hold'", "whole number");
    }

    @Test
    void theBuiltInPacksBreatheWithAFewHeldFramesThatLeaveFaceAlone() {
        for (String name : BuiltInPacks.NAMES) {
            AvatarPack p = BuiltInPacks.get(name);
            List<Integer> holds = p.manifest().idleHolds();
            int period = holds.stream().mapToInt(Integer::intValue).sum();
            assertTrue(p.idleFrames() <= 8 && period >= 75 && new java.util.HashSet<>(p.manifest().idle()).size() <= 4, name + ": " + p.idleFrames() + " frames held " + holds);
            assertTrue(holds.stream().anyMatch(h -> h > 1), name + " holds frames: " + holds);
            io.facecast.renderer.avatar.Region m = p.mouthRegion(), e = p.eyesRegion();
            java.awt.image.BufferedImage base = p.idle(0);
            int moved = 0;
            for (int i = 1; i < p.idleFrames(); i++) {
                java.awt.image.BufferedImage f = p.idle(i);
                for (int y = 0; y < p.height(); y++) {
                    for (int x = 0; x < p.width(); x++) {
                        if (f.getRGB(x, y) != base.getRGB(x, y)) {
                            moved++;
                            assertTrue(y >= m.y() + m.height(), name + " idle frame " + i + " changes " + x + "," + y
                                    + ": only below the mouth (the shoulders) may move");
                            assertFalse(x >= e.x() && x < e.x() + e.width() && y >= e.y() && y < e.y() + e.height());
                        }
                    }
                }
            }
            assertTrue(moved > 100, name + ": the shoulders move (" + moved + " pixels)");
        }
    }

    @Test
    void wrongTypesAndUnknownFieldsNameTheField() throws IOException {
        Path p = PackFixture.pack(dir, "types");
        PackFixture.edit(p, "\"width\": 512,", "\"width\": \"wide\", \"colour\": 3,");
        List<String> problems = problems(p);
        assertProblem(problems, "avatar.json", "'width'", "whole number");
        assertProblem(problems, "avatar.json", "unknown field 'colour'");
    }

    @Test
    void oddAndOutOfFrameRegions() throws IOException {
        Path p = PackFixture.pack(dir, "regions");
        PackFixture.edit(p, "\"x\": 188,", "\"x\": 187,");
        PackFixture.edit(p, "\"y\": 190,", "\"y\": 480,");
        List<String> problems = problems(p);
        assertProblem(problems, "avatar.json", "region 'mouth'", "x 187", "even");
        assertProblem(problems, "avatar.json", "region 'eyes'", "outside the 512x512 frame");
    }

    @Test
    void regionsReachingPastIntMaxAreOutOfFrame() throws IOException {
        Path p = PackFixture.pack(dir, "wrap");
        PackFixture.edit(p, "\"w\": 136,", "\"w\": 2147483646,"); // 188 + w wraps negative in int arithmetic
        assertProblem(problems(p), "avatar.json", "region 'mouth'", "reaches 2147483834,", "outside the 512x512 frame");
    }

    @Test
    void overlappingRegions() throws IOException {
        Path p = PackFixture.pack(dir, "overlap");
        PackFixture.edit(p, "\"y\": 294,", "\"y\": 250,");
        assertProblem(problems(p), "avatar.json", "'eyes'", "'mouth'", "overlap");
    }

    @Test
    void unknownAndMissingVisemes() throws IOException {
        Path p = PackFixture.pack(dir, "visemes");
        PackFixture.edit(p, "\"C\": \"mouth/C.png\"", "\"Q\": \"mouth/C.png\"");
        List<String> problems = problems(p);
        assertProblem(problems, "avatar.json", "unknown viseme 'Q'");
        assertProblem(problems, "avatar.json", "no image for viseme 'C'");
    }

    @Test
    void missingFileWrongSizeAndUnreadablePng() throws IOException {
        Path p = PackFixture.pack(dir, "files");
        Files.delete(p.resolve("mouth/C.png"));
        ImageIO.write(new BufferedImage(10, 12, BufferedImage.TYPE_INT_RGB), "png", p.resolve("mouth/B.png").toFile());
        Files.writeString(p.resolve("blink.png"), "this is not a png");
        List<String> problems = problems(p);
        assertEquals(3, problems.size(), problems.toString());
        assertProblem(problems, "mouth/C.png", "missing", "viseme C");
        assertProblem(problems, "mouth/B.png", "is 10x12", "136x84", "mouth region");
        assertProblem(problems, "blink.png", "not a readable PNG");
    }

    @Test
    void wrongFrameSize() throws IOException {
        Path p = PackFixture.pack(dir, "frame");
        ImageIO.write(new BufferedImage(500, 512, BufferedImage.TYPE_INT_RGB), "png", p.resolve("idle/00.png").toFile());
        assertProblem(problems(p), "idle/00.png", "is 500x512", "512x512");
    }

    @Test
    void pathsMustStayInsideThePackAndNameMustMatchTheFolder() throws IOException {
        Path p = PackFixture.pack(dir, "escape");
        PackFixture.edit(p, "\"blink.png\"", "\"../../etc/blink.png\"");
        PackFixture.edit(p, "\"name\": \"escape\"", "\"name\": \"other\"");
        List<String> problems = problems(p);
        assertProblem(problems, "avatar.json", "'blink'", "relative path inside the pack");
        assertProblem(problems, "avatar.json", "'other'", "folder is 'escape'");
    }

    @Test
    void spriteSheetLoadsLikeSeparateImages() throws IOException {
        Path p = PackFixture.pack(dir, "sheet");
        AvatarPack separate = PackLoader.load(PackFiles.folder(p));
        BufferedImage sheet = new BufferedImage(3 * 136, 3 * 84, BufferedImage.TYPE_INT_RGB);
        String order = "XABCDEFGH";
        for (int i = 0; i < order.length(); i++) {
            BufferedImage m = ImageIO.read(p.resolve("mouth/" + order.charAt(i) + ".png").toFile());
            sheet.getGraphics().drawImage(m, (i % 3) * 136, (i / 3) * 84, null);
        }
        ImageIO.write(sheet, "png", p.resolve("mouths.png").toFile());
        String json = Files.readString(p.resolve("avatar.json"));
        json = json.substring(0, json.indexOf("\"visemes\"")) + "\"sheet\": {\"file\": \"mouths.png\", \"columns\": 3, \"order\": \""
                + order + "\"}\n}\n";
        Files.writeString(p.resolve("avatar.json"), json);
        AvatarPack fromSheet = PackLoader.load(PackFiles.folder(p));
        for (var s : io.facecast.renderer.viseme.MouthShape.values()) {
            assertArrayEquals(pixels(separate.mouth(s)), pixels(fromSheet.mouth(s)), s.name());
        }

        ImageIO.write(new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB), "png", p.resolve("mouths.png").toFile());
        assertProblem(problems(p), "mouths.png", "is 100x100", "408x252");
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
