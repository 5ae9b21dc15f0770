package io.facecast.signaling.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys in a file, one per line ({@code #} starts a comment). {@link #loadOrCreate} writes a fresh key with
 * owner-only permissions (0600, its folder 0700) when the file does not exist yet: that is how the local stack turns
 * auth on without asking anything.
 */
public final class ApiKeyFile {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ApiKeyFile() {}

    /** {@code $FACECAST_HOME/api-key}, else {@code ~/.facecast/api-key}: where the local stack and the CLI meet. */
    public static Path defaultPath() {
        String home = System.getenv("FACECAST_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".facecast"))
                .resolve("api-key");
    }

    public static List<ApiKey> load(Path file) throws IOException {
        List<ApiKey> keys = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                keys.add(ApiKey.parse(text.split("\\s+")[0]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + lineNumber + ": " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IOException(file + " holds no API key");
        }
        warnIfShared(file);
        return keys;
    }

    /** Loads the file, first writing one new key there (0600) if it does not exist. */
    public static List<ApiKey> loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            ApiKey key = ApiKey.generate(random);
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, key.value() + "\n", StandardCharsets.UTF_8);
                log.info("wrote a new API key ({}) to {}", key.id(), file);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        return load(file);
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                log.warn("{} is readable by others ({}); chmod 600 it", file, PosixFilePermissions.toString(perms));
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        }
    }
}
