package io.facecast.renderer.avatar.pack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Where a pack's files come from: a folder on disk or the renderer's own resources (the built-in packs). */
public interface PackFiles {
    /** Larger files are refused: a pack is a handful of small PNGs. */
    int MAX_FILE_BYTES = 16 << 20;

    /** The pack's folder name, which is the avatar's name. */
    String folderName();

    /** Where the pack is, for messages. */
    String location();

    /**
     * The bytes of {@code relativePath} (slash-separated, already checked to stay inside the pack), or null when there
     * is no such file.
     *
     * @throws IOException when the file exists but can not be read, or is over {@link #MAX_FILE_BYTES}
     */
    byte[] read(String relativePath) throws IOException;

    static PackFiles folder(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        return new PackFiles() {
            @Override public String folderName() { return root.getFileName().toString(); }
            @Override public String location() { return root.toString(); }

            @Override
            public byte[] read(String relativePath) throws IOException {
                Path p = root.resolve(relativePath).normalize();
                if (!p.startsWith(root) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (p.startsWith(root) && Files.isSymbolicLink(p)) {
                        // A link could point anywhere on the machine (/etc/..., another pack, a device).
                        throw new IOException("is a symbolic link; pack files must be regular files inside the pack folder");
                    }
                    return null;
                }
                // The folders on the way must not be links out of the pack either.
                Path real = p.toRealPath();
                if (!real.startsWith(root.toRealPath())) {
                    throw new IOException("lies outside the pack folder (through a linked folder); copy the file into the pack");
                }
                if (Files.size(p) > MAX_FILE_BYTES) {
                    throw new IOException("is " + Files.size(p) + " bytes; pack files must be under " + MAX_FILE_BYTES);
                }
                return Files.readAllBytes(p);
            }
        };
    }

    /** A pack under {@code avatars/<name>/} on the renderer's class path. */
    static PackFiles resources(String name) {
        String prefix = "avatars/" + name + "/";
        return new PackFiles() {
            @Override public String folderName() { return name; }
            @Override public String location() { return "built-in pack " + name + " (resources/" + prefix + ")"; }

            @Override
            public byte[] read(String relativePath) throws IOException {
                try (InputStream in = PackFiles.class.getClassLoader().getResourceAsStream(prefix + relativePath)) {
                    return in == null ? null : in.readNBytes(MAX_FILE_BYTES);
                }
            }
        };
    }
}
