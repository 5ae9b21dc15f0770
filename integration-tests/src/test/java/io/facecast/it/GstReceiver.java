package io.facecast.it;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An independent standard player as the measuring receiver: GStreamer's webrtcbin driven by the shipped meter
 * {@code tools/meter/facecast_meter.py} in its {@code --events} mode, connected through signaling's WHEP endpoint. It times sync-marker
 * flashes and tone bursts on the pipeline's running time (what a player presents, with rtpbin's RTCP lip-sync in
 * effect) and speech on CLOCK_MONOTONIC (= System.nanoTime()); it prints one JSON object per line, parsed here.
 */
final class GstReceiver implements AutoCloseable {
    /** The meter users run ({@code ./facecast meter}); the tests use the same file. */
    static final Path SCRIPT = Path.of("..", "tools", "meter", "facecast_meter.py").toAbsolutePath().normalize();
    static final Path PYTHON = Path.of("/usr/bin/python3");
    /** The Debian packages the receiver needs (also in .ci/run). */
    static final String PACKAGES = "gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad"
            + " gstreamer1.0-nice gir1.2-gst-plugins-bad-1.0 python3-gst-1.0 python3-numpy";
    private static final String PROBE = "import gi, numpy\n"
            + "gi.require_version('Gst', '1.0'); gi.require_version('GstWebRTC', '1.0'); gi.require_version('GstSdp', '1.0')\n"
            + "gi.require_version('GstVideo', '1.0')\n"
            + "from gi.repository import Gst, GstWebRTC, GstSdp, GstVideo\n"
            + "Gst.init(None)\n"
            + "missing = [e for e in ('webrtcbin', 'nicesrc', 'dtlssrtpdec', 'rtpvp8depay', 'vp8dec', 'rtpopusdepay',"
            + " 'opusdec', 'audioconvert', 'audioresample', 'fakesink') if Gst.ElementFactory.find(e) is None]\n"
            + "print(' '.join(missing)); raise SystemExit(1 if missing else 0)\n";

    private final Process process;
    private final List<JsonObject> lines = new ArrayList<>();
    private final Thread reader;
    private final Path transcript;

    private GstReceiver(Process process, Path transcript) {
        this.process = process;
        this.transcript = transcript;
        this.reader = new Thread(this::read, "gst-receiver-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * GStreamer with webrtcbin and its Python bindings must be there. CI (.ci/run sets FACECAST_REQUIRE_BROWSER=1)
     * fails without them; a developer machine without them skips, saying what to install.
     */
    static void require() {
        String problem = null;
        if (!Files.isExecutable(PYTHON)) {
            problem = PYTHON + " is missing";
        } else {
            try {
                Process p = new ProcessBuilder(PYTHON.toString(), "-c", PROBE).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    problem = "the GStreamer probe did not finish";
                } else if (p.exitValue() != 0) {
                    problem = "GStreamer/webrtcbin is not usable from Python (" + out.lines().reduce((a, b) -> b).orElse("")
                            + ")";
                }
            } catch (IOException e) {
                problem = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted";
            }
        }
        if (problem == null) return;
        String message = "the GStreamer receiver test needs: apt-get install " + PACKAGES + " (" + problem + ")";
        if ("1".equals(System.getenv("FACECAST_REQUIRE_BROWSER"))) throw new IllegalStateException(message);
        Assumptions.abort(message);
    }

    /** Starts the receiver with {@code sessions} WHEP sessions against signaling's HTTP base URL. */
    static GstReceiver start(String httpBase, int sessions, Path stderrLog, String... extraArgs) throws IOException {
        return start(httpBase, null, sessions, stderrLog, extraArgs);
    }

    /** As above, sending {@code apiKey} (through the environment, never the command line) with every request. */
    static GstReceiver start(String httpBase, String apiKey, int sessions, Path stderrLog, String... extraArgs) throws IOException {
        Files.createDirectories(stderrLog.getParent());
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), "--base", httpBase,
                "--sessions", Integer.toString(sessions), "--events", "--no-speak"));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(stderrLog.toFile());
        if (apiKey != null) builder.environment().put("FACECAST_API_KEY", apiKey);
        Process p = builder.start();
        return new GstReceiver(p, Path.of(stderrLog.toString().replaceAll("\\.log$", "") + ".jsonl"));
    }

    /** Reads the receiver's lines; a copy of them goes to a .jsonl file beside its stderr log. */
    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             java.io.Writer copy = Files.newBufferedWriter(transcript)) {
            String line;
            while ((line = in.readLine()) != null) {
                copy.write(line);
                copy.write('\n');
                if (!line.startsWith("{")) continue;
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                o.addProperty("arrival_nanos", System.nanoTime());
                synchronized (this) {
                    lines.add(o);
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended or printed garbage; what was read stays, errors show in its stderr log
        } finally {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Every line of the given kind ("session", "marker", "speech", ...), optionally for one session. */
    synchronized List<JsonObject> lines(String event, String sessionId) {
        return lines.stream().filter(o -> event.equals(str(o, "event")))
                .filter(o -> sessionId == null || sessionId.equals(str(o, "session"))).toList();
    }

    /** Waits until {@code count} lines of a kind arrived; fails with what the receiver said otherwise. */
    List<JsonObject> await(String event, int count, Duration timeout) throws InterruptedException {
        return await(o -> event.equals(str(o, "event")), count, timeout, event);
    }

    private List<JsonObject> await(Predicate<JsonObject> p, int count, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<JsonObject> found = lines.stream().filter(p).toList();
                if (found.size() >= count) return found;
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    throw new AssertionError("GStreamer receiver: " + found.size() + "/" + count + " '" + what
                            + "' lines; it said: " + lines);
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** Asks the receiver to stop; it then prints its markers and summaries and exits. */
    void stop(Duration timeout) throws IOException, InterruptedException {
        if (process.isAlive()) {
            try {
                OutputStream in = process.getOutputStream();
                in.write("stop\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                in.close();
            } catch (IOException e) {
                // already exiting
            }
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("GStreamer receiver did not stop in " + timeout);
        }
        reader.join(timeout.toMillis());
    }

    /** CPU time the receiver process has used so far. */
    double cpuSeconds() {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    int exitValue() {
        return process.exitValue();
    }

    static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    static long num(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) throw new AssertionError("no " + key + " in " + o);
        return e.getAsLong();
    }

    static double dbl(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stop(Duration.ofSeconds(10));
            } catch (IOException | InterruptedException | AssertionError e) {
                process.destroyForcibly();
            }
        }
    }
}
