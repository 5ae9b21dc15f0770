package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.RendererMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PackCommandTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        CommandLine cli = new CommandLine(new RendererMain());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void serverOptionsStillParseBesideTheSubcommands() {
        CommandLine.ParseResult r = new CommandLine(new RendererMain())
                .parseArgs("--port", "0", "--avatar-dir", dir.toString());
        assertFalse(r.hasSubcommand());
        assertEquals(0, (int) r.matchedOptionValue("--port", -1));
    }

    @Test
    void exportValidateAndChart() throws IOException {
        Path pack = dir.resolve("ada");
        assertEquals(0, run("pack", "export-default", "--style", "ada", "--out", pack.toString()), err.toString());
        assertEquals(0, run("pack", "validate", pack.toString()), err.toString());
        assertTrue(out.toString().contains("pack 'ada' is valid"), out.toString());

        Path chart = dir.resolve("charts/ada.png");
        assertEquals(0, run("pack", "chart", "--pack", pack.toString(), "--out", chart.toString()), err.toString());
        BufferedImage img = ImageIO.read(chart.toFile());
        assertEquals(VisemeChart.GAP + VisemeChart.COLUMNS * (VisemeChart.TILE + VisemeChart.GAP), img.getWidth());
        assertEquals(0, run("pack", "chart", "--pack", "default", "--out", dir.resolve("d.png").toString()), err.toString());
        assertTrue(Files.size(dir.resolve("d.png")) > 10_000);
    }

    @Test
    void validateListsEveryProblemAndExitsNonZero() throws IOException {
        Path pack = PackFixture.pack(dir, "bad");
        Files.delete(pack.resolve("mouth/E.png"));
        PackFixture.edit(pack, "\"w\": 136,", "\"w\": 135,");
        assertEquals(PackCommand.INVALID, run("pack", "validate", pack.toString()));
        assertTrue(err.toString().contains("avatar.json: region 'mouth'"), err.toString());
        assertEquals(2, run("pack", "chart", "--pack", "nosuchpack", "--out", dir.resolve("x.png").toString()));
        assertTrue(err.toString().contains("neither a pack folder nor a built-in pack"), err.toString());
    }

    @Test
    void buildFromAFolderOfImages() throws IOException {
        Path art = Files.createDirectories(dir.resolve("art"));
        AvatarPack ada = BuiltInPacks.get("ada");
        ImageIO.write(ada.frame(null, false), "png", art.resolve("idle.png").toFile());
        for (var s : io.facecast.renderer.viseme.MouthShape.values()) {
            ImageIO.write(ada.frame(s, false), "png", art.resolve(s.name() + ".png").toFile());
        }
        Path out = dir.resolve("packs/mine");
        assertEquals(0, run("pack", "build", "--from", art.toString(), "--out", out.toString(), "--eyes", "180,190,152,74"),
                err.toString());
        assertTrue(out.toString().length() > 0 && Files.exists(out.resolve("avatar.json")));
        assertTrue(this.out.toString().contains("mouth region detected"), this.out.toString());
    }
}
