package io.facecast.it;

import com.google.gson.JsonObject;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Lip-sync benchmark (not a test): starts the three processes and an independent standard player (GStreamer
 * webrtcbin through WHEP, see {@link GstReceiver}), keeps N sessions speaking with sync markers back to back for a
 * while, and prints over every marker the player presented: skew (audio onset - video flash, on the player's
 * running time) p50/p95/max, the sender's pacing jitter p99 (the streamer's Stats events over gRPC WatchEvents), and
 * drift (mean skew of the first minute vs the last minute).
 *
 * <pre>
 * ./mvnw -o -q install -DskipTests          # the jars the stack launches
 * cd integration-tests &amp;&amp; mvn -o -q test-compile exec:java -Dexec.mainClass=io.facecast.it.SyncBenchmark \
 *     -Dexec.classpathScope=test -Dexec.args="--sessions 8 --seconds 60 --csv target/sync.csv"
 * </pre>
 * For 10 minutes use {@code --seconds 600}. Needs the GStreamer packages named in {@link GstReceiver#PACKAGES}.
 */
public final class SyncBenchmark {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    public static void main(String[] args) throws Exception {
        int sessions = 1;
        int seconds = 60;
        int warmUp = 3;
        Path csv = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: [--sessions N] [--seconds S] [--warm-up S] [--csv FILE]");
            }
        }
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        try (LocalStack stack = LocalStack.start("sync-bench", 1, Math.max(8, sessions), Duration.ofSeconds(5));
             FacecastClient client = stack.client()) {
            String base = BrowserSupport.pageUrl(stack);
            try (GstReceiver rx = GstReceiver.start(base, stack.apiKey, sessions, Path.of("target", "it-logs", "sync-bench", "receiver.log"))) {
                List<String> ids = GstSyncMarkerTest.connect(rx, sessions);
                List<SessionEventLog> logs = new ArrayList<>();
                for (String id : ids) logs.add(new SessionEventLog(client, id));
                double cpuBefore = cpu(stack);
                long start = System.nanoTime();
                long measureFrom = start + warmUp * SECOND;
                long end = measureFrom + seconds * SECOND;
                List<Thread> speakers = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    SessionEventLog log = logs.get(i);
                    Thread t = new Thread(() -> speakUntil(client, id, log, end), "speaker-" + id);
                    t.start();
                    speakers.add(t);
                }
                for (Thread t : speakers) t.join();
                double cpuUsed = cpu(stack) - cpuBefore;
                double wall = (System.nanoTime() - start) / 1e9;
                String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
                Thread.sleep(700); // the player presents ~220 ms after arrival
                double rxCpu = rx.cpuSeconds();
                rx.stop(Duration.ofSeconds(30));
                report(rx, ids, logs, measureFrom, end, csv, cpuUsed / wall, rxCpu / wall, loadBefore, loadAfter);
                logs.forEach(SessionEventLog::close);
            }
        }
        System.exit(0);
    }

    /** Speaks with markers back to back until {@code end}; the last utterance is allowed to finish. */
    private static void speakUntil(FacecastClient client, String id, SessionEventLog log, long end) {
        try {
            while (System.nanoTime() < end) {
                long u = client.speak(id, GstSyncMarkerTest.LONG_TEXT, true);
                Optional<ReceivedEvent> done = log.await(e -> e.hasSpeechFinished()
                        && e.getSpeechFinished().getUtteranceId() == u, Duration.ofSeconds(60));
                if (done.isEmpty()) {
                    System.err.println("session " + id + ": utterance " + u + " did not finish");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double cpu(LocalStack stack) throws Exception {
        double sum = 0;
        for (JvmProcess p : stack.all()) sum += p.cpuSeconds();
        return sum;
    }

    private static void report(GstReceiver rx, List<String> ids, List<SessionEventLog> logs, long from, long to, Path csv,
                               double stackCores, double receiverCores, String loadBefore, String loadAfter) throws Exception {
        List<Double> all = new ArrayList<>();
        List<Double> firstMinute = new ArrayList<>(), lastMinute = new ArrayList<>();
        List<Double> firstTenth = new ArrayList<>(), lastTenth = new ArrayList<>();
        long tenth = (to - from) / 10;
        List<Double> pacingP99 = new ArrayList<>(), pacingMax = new ArrayList<>(), fps = new ArrayList<>();
        long unpairedFlashes = 0, unpairedBursts = 0, utterances = 0;
        PrintWriter out = csv == null ? null : new PrintWriter(Files.newBufferedWriter(csv));
        if (out != null) out.println("session,video_s,skew_ms");
        for (int i = 0; i < ids.size(); i++) {
            for (JsonObject m : rx.lines("marker", ids.get(i))) {
                long shown = GstReceiver.num(m, "video_presented_mono_ns");
                if (shown < from || shown >= to) continue;
                double s = GstReceiver.dbl(m, "skew_ms");
                all.add(s);
                if (shown < from + MINUTE) firstMinute.add(s);
                if (shown >= to - MINUTE) lastMinute.add(s);
                if (shown < from + tenth) firstTenth.add(s);
                if (shown >= to - tenth) lastTenth.add(s);
                if (out != null) out.printf("%d,%.3f,%.3f%n", i, (shown - from) / 1e9, s);
            }
            JsonObject summary = rx.lines("summary", ids.get(i)).get(0);
            unpairedFlashes += GstReceiver.num(summary, "unpaired_flashes");
            unpairedBursts += GstReceiver.num(summary, "unpaired_bursts");
            if (GstReceiver.num(summary, "unpaired_flashes") + GstReceiver.num(summary, "unpaired_bursts") > 0) {
                System.out.printf("session %d unpaired: flashes shown at s %s (nearest burst ms %s), bursts at running ns %s%n", i,
                        summary.get("unpaired_flash_presented_mono_ns").getAsJsonArray().asList().stream()
                                .map(e -> String.format("%.2f", (e.getAsLong() - from) / 1e9)).toList(),
                        summary.get("unpaired_flash_nearest_burst_ms"), summary.get("unpaired_burst_running_ns"));
            }
            for (ReceivedEvent e : logs.get(i).events()) {
                SessionEvent ev = e.event();
                if (ev.hasSpeechFinished()) utterances++;
                if (ev.hasStats() && e.arrivalNanos() >= from && e.arrivalNanos() < to) {
                    pacingP99.add((double) ev.getStats().getPacingErrorP99Us());
                    pacingMax.add((double) ev.getStats().getPacingErrorMaxUs());
                    fps.add(ev.getStats().getVideoFps());
                }
            }
        }
        if (out != null) out.close();
        double[] skews = all.stream().mapToDouble(Double::doubleValue).toArray();
        double[] abs = Arrays.stream(skews).map(Math::abs).toArray();
        double[] p99 = pacingP99.stream().mapToDouble(Double::doubleValue).toArray();
        double[] max = pacingMax.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf("%n==== sync benchmark (GStreamer webrtcbin player): %d session(s), %.0f s measured ====%n",
                ids.size(), (to - from) / 1e9);
        System.out.printf("markers: %d paired in the window (%d utterances finished); unpaired over the run: flashes %d,"
                + " bursts %d%n", skews.length, utterances, unpairedFlashes, unpairedBursts);
        System.out.printf("skew (audio - video) ms: p50 %.1f  p95 %.1f  max %.1f  min %.1f  |skew| p95 %.1f max %.1f%n",
                percentile(skews, 50), percentile(skews, 95), percentile(skews, 100), percentile(skews, 0),
                percentile(abs, 95), percentile(abs, 100));
        System.out.printf("drift: mean skew first minute %.2f ms (%d markers), last minute %.2f ms (%d markers): %+.2f ms%n",
                mean(firstMinute), firstMinute.size(), mean(lastMinute), lastMinute.size(),
                mean(lastMinute) - mean(firstMinute));
        System.out.printf("drift: mean skew first tenth %.2f ms, last tenth %.2f ms: %+.2f ms%n",
                mean(firstTenth), mean(lastTenth), mean(lastTenth) - mean(firstTenth));
        System.out.printf("sender pacing error p99 (streamer Stats, one per report): median %.0f us, worst %.0f us;"
                        + " max worst %.0f us; delivered fps min %.1f%n",
                percentile(p99, 50), percentile(p99, 100), percentile(max, 100),
                fps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        System.out.printf("CPU: stack (renderer+signaling+streamer) %.2f cores, GStreamer player %.2f cores;"
                + " load average before %s, at the end %s%n", stackCores, receiverCores, loadBefore, loadAfter);
        if (csv != null) System.out.println("per-marker CSV: " + csv.toAbsolutePath());
    }

    static double percentile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        double k = (v.length - 1) * p / 100.0;
        int lo = (int) Math.floor(k);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (v[hi] - v[lo]) * (k - lo);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
