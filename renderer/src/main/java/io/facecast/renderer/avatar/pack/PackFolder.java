package io.facecast.renderer.avatar.pack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of packs, one sub-folder per avatar ({@code --avatar-dir}). Nothing is cached: every lookup reads the
 * folder again, so a pack added or fixed while the renderer runs is used by the next session that asks for it, and
 * a broken pack fails only the sessions that ask for it.
 */
public final class PackFolder {
    private final Path dir;

    public PackFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** Sub-folders that hold an avatar.json and have a valid avatar name (valid or not as packs). */
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p.resolve(PackManifest.FILE)))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> PackManifest.NAME.matcher(n).matches())
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("can not list avatar folder " + dir, e);
        }
        return out;
    }

    public boolean contains(String name) {
        return name != null && PackManifest.NAME.matcher(name).matches() && Files.isDirectory(dir.resolve(name));
    }

    /** @throws InvalidPackException when the pack is broken */
    public AvatarPack load(String name) {
        if (!contains(name)) {
            throw new IllegalArgumentException("no pack '" + name + "' in " + dir);
        }
        return PackLoader.load(PackFiles.folder(dir.resolve(name)));
    }
}
