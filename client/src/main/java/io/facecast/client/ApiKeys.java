package io.facecast.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a client finds its API key without being told: the {@code --api-key} flag, else the environment variable
 * {@code FACECAST_API_KEY}, else the first key line of {@code $FACECAST_HOME/api-key} or {@code ~/.facecast/api-key}
 * (the file the local stack's signaling creates).
 */
public final class ApiKeys {

    private ApiKeys() {}

    public static Path defaultFile() {
        String home = System.getenv("FACECAST_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".facecast"))
                .resolve("api-key");
    }

    /** The key to use, or null when none is found anywhere. */
    public static String find(String flag, Path file) throws IOException {
        if (flag != null && !flag.isBlank()) {
            return flag.strip();
        }
        String env = System.getenv("FACECAST_API_KEY");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Path path = file != null ? file : defaultFile();
        if (!Files.isReadable(path)) {
            if (file != null) {
                throw new IOException("cannot read the API key file " + path);
            }
            return null;
        }
        return firstKey(path);
    }

    /** The first non-comment line of a key file. */
    public static String firstKey(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                return text.split("\\s+")[0];
            }
        }
        throw new IOException(file + " holds no API key");
    }
}
