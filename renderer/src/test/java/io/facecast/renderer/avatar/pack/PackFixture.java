package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.FaceStyle;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Valid packs on disk to break on purpose. */
final class PackFixture {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private PackFixture() {}

    /** A valid pack of the default face in {@code dir/name}, its idle one still frame. */
    static Path pack(Path dir, String name) {
        try {
            Path out = dir.resolve(name);
            FaceStyle base = FaceStyle.DEFAULT;
            FaceStyle s = new FaceStyle(name, base.backgroundTop(), new Color(0x80C080), base.skin(), base.skinShade(),
                    base.hair(), base.longHair(), base.iris(), base.lip(), base.lipStroke(), base.mouthScale(),
                    base.shirt(), base.glasses());
            PackWriter.exportProcedural(s, out, false);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void edit(Path pack, String from, String to) throws IOException {
        Path m = pack.resolve(PackManifest.FILE);
        String json = Files.readString(m);
        if (!json.contains(from)) {
            throw new AssertionError("fixture manifest has no " + from);
        }
        Files.writeString(m, json.replace(from, to), StandardCharsets.UTF_8);
    }
}
