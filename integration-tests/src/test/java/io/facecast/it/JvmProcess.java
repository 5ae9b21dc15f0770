package io.facecast.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Facecast process launched exactly as production launches it: {@code java <flags> -jar target/facecast-X.jar}.
 * Its output goes to a log file; the "listening on host:port" line tells us the port it bound (we pass port 0).
 */
final class JvmProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on ([0-9.]+):(\\d+)");
    /** Signaling's second line: its internal control plane (the streamers' registry, mutual TLS). */
    private static final Pattern CONTROL_PLANE = Pattern.compile("control plane on ([0-9.]+):(\\d+)");
    /** The flags every Facecast JVM gets (Chronicle on JDK 17, no analytics); the same list as the launcher script. */
    static final List<String> JVM_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true",
            "-Djava.awt.headless=true",
            "-XX:+UseSerialGC", "-Xss512k");

    /**
     * The streamer's own JVM settings: {@code streamer/jvm.options}, the file {@code ./facecast} and
     * {@code docker/Dockerfile} pass too (why: docs/performance.md). They follow the common ones and -Xmx512m, so
     * they win.
     */
    static List<String> streamerJvmFlags(Path streamerJar) throws IOException {
        String other = System.getProperty(STREAMER_JVM_OPTIONS_PROPERTY, "");
        if (other.equals("none")) {
            return List.of();
        }
        return optionsFile(other.isEmpty() ? streamerJar.getParent().getParent().resolve("jvm.options") : Path.of(other));
    }

    /** The flags of a module's {@code jvm.options} (one per line), as {@code java @file} reads them. */
    static List<String> optionsFile(Path options) throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(options)) {
            if (!line.isBlank()) {
                flags.add(line.trim());
            }
        }
        return flags;
    }
    /** Benchmarks: another file instead of streamer/jvm.options, or "none" (the JVM's defaults, as before them). */
    static final String STREAMER_JVM_OPTIONS_PROPERTY = "facecast.it.streamerJvmOptions";
    /** Benchmarks: extra streamer JVM flags (space-separated), after all others. */
    static final String STREAMER_JVM_FLAGS_PROPERTY = "facecast.it.streamerJvmFlags";

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<String> listening = new CompletableFuture<>();
    private final CompletableFuture<String> controlPlane = new CompletableFuture<>();
    private Thread pump;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static JvmProcess start(String name, String module, Path logDir, List<String> args) throws IOException {
        return start(name, module, logDir, args, List.of());
    }

    /** @param extraJvmFlags after the standard ones, so they win (e.g. a smaller {@code -Xmx}) */
    static JvmProcess start(String name, String module, Path logDir, List<String> args, List<String> extraJvmFlags)
            throws IOException {
        return start(name, module, logDir, args, extraJvmFlags, List.of());
    }

    /**
     * As above, launched through {@code launcher} (e.g. {@code ip netns exec NAME}), which must exec the JVM in its
     * own place so that this process's pid is the JVM's (kill and SIGKILL reach it).
     */
    static JvmProcess start(String name, String module, Path logDir, List<String> args, List<String> extraJvmFlags,
                            List<String> launcher) throws IOException {
        Path jar = moduleJar(module);
        List<String> java = new ArrayList<>();
        if (module.equals("renderer")) {
            java.addAll(optionsFile(jar.getParent().getParent().resolve("jvm.options")));
        }
        if (module.equals("streamer")) {
            java.addAll(streamerJvmFlags(jar));
            String extra = System.getProperty(STREAMER_JVM_FLAGS_PROPERTY, "").trim();
            if (!extra.isEmpty()) {
                java.addAll(List.of(extra.split("\\s+")));
            }
        }
        java.addAll(extraJvmFlags);
        java.add("-jar");
        java.add(jar.toString());
        return launch(name, logDir, launcher, java, args);
    }

    /** A main class of the test class path (a test tool, e.g. a receiving client) on {@code classPath}. */
    static JvmProcess startMain(String name, String mainClass, String classPath, Path logDir, List<String> args,
                                List<String> launcher) throws IOException {
        return launch(name, logDir, launcher, List.of("-cp", classPath, mainClass), args);
    }

    private static JvmProcess launch(String name, Path logDir, List<String> launcher, List<String> java,
                                     List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-Xmx512m");
        cmd.addAll(java);
        cmd.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        // Empty before the start, not when the pump thread gets to it: a caller reading the log at once must see
        // this run's lines only (an earlier run's file has the same name), and must not find it missing.
        Files.write(log, new byte[0]);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // as ./facecast and the images run them
        Process p = pb.start();
        JvmProcess jp = new JvmProcess(name, p, log);
        jp.pumpOutput();
        return jp;
    }

    /** The module's runnable jar, from the integration-tests folder (surefire) or the top-level folder (exec:java). */
    static Path moduleJar(String module) {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path root : new Path[]{here.getParent(), here}) {
            Path jar = root.resolve(module).resolve("target").resolve("facecast-" + module + ".jar");
            if (Files.exists(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("facecast-" + module + ".jar is missing: build from the top-level folder first (./mvnw -DskipTests package)");
    }

    private void pumpOutput() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(log), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.println(line);
                    Matcher m = LISTENING.matcher(line);
                    if (!listening.isDone() && m.find()) {
                        listening.complete(m.group(1) + ":" + m.group(2));
                    }
                    Matcher c = CONTROL_PLANE.matcher(line);
                    if (!controlPlane.isDone() && c.find()) {
                        controlPlane.complete(c.group(1) + ":" + c.group(2));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                listening.completeExceptionally(new IllegalStateException(name + " exited before listening; see " + log));
                controlPlane.completeExceptionally(new IllegalStateException(name + " exited before listening; see " + log));
            }
        }, name + "-output");
        t.setDaemon(true);
        pump = t;
        t.start();
    }

    /** host:port the process listens on. */
    String awaitListening(Duration timeout) throws Exception {
        try {
            return listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not start listening within " + timeout + "; log " + log + ":\n"
                    + tail(), e);
        }
    }

    /** host:port of signaling's internal control plane. */
    String awaitControlPlane(Duration timeout) throws Exception {
        try {
            return controlPlane.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not open its control plane within " + timeout + "; log " + log
                    + ":\n" + tail(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User + system CPU time the process has used, in seconds (from /proc). */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks / 100.0;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGKILL: the process gets no chance to say goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    Path log() {
        return log;
    }

    /** Waits for the process to exit; its exit code, or -1 when it still runs after {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The whole log so far. */
    List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    /**
     * One SIGTERM: a renderer or streamer starts its drain (a second one forces it). Through the ProcessHandle:
     * {@code Process.destroy()} also closes our end of its output, and what it logs while draining would be lost.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Writes one line to the process's standard input (a test tool that takes commands there). */
    synchronized void send(String line) throws IOException {
        java.io.OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the process to end; its exit code, or null if it still runs after {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        pump.join(5000); // its last lines reach the log file
        return process.exitValue();
    }

    /** Stops at once: SIGTERM, and a second one that skips a renderer's or streamer's drain of live sessions. */
    @Override
    public void close() throws InterruptedException {
        terminate();
        if (!process.waitFor(300, TimeUnit.MILLISECONDS)) {
            terminate();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
