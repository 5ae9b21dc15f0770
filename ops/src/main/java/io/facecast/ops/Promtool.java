package io.facecast.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker (Debian package {@code prometheus}), for tests: {@code promtool check metrics} lints an
 * exposition (names, units, help, types), {@code promtool check rules} parses alert rules.
 */
public final class Promtool {
    private Promtool() {}

    /** The promtool on PATH, or null. */
    public static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs {@code promtool check metrics} on the exposition; returns its output, throws if it objects. */
    public static String checkMetrics(Path promtool, String exposition) throws IOException, InterruptedException {
        return run(List.of(promtool.toString(), "check", "metrics"), exposition);
    }

    /** Runs {@code promtool check rules FILE}; returns its output, throws if it objects. */
    public static String checkRules(Path promtool, Path rules) throws IOException, InterruptedException {
        return run(List.of(promtool.toString(), "check", "rules", rules.toString()), "");
    }

    private static String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }
}
