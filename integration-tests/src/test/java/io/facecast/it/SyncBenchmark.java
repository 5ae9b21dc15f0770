package io.facecast.it;

import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.facecast.client.analysis.AudioPlayoutClock;
import io.facecast.client.analysis.SyncMarkerAnalysis;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Lip-sync benchmark (not a test): starts the three processes, keeps N sessions speaking with sync markers back to
 * back for a while, and prints, over every marker found at the real WebRTC receivers: skew (audio onset - video
 * flash) p50/p95/max, the sender's pacing jitter p99 (from the streamer's Stats events), drift (mean skew of the
 * first minute vs the last minute, and of the first vs the last tenth of the run), plus receiver-side diagnostics.
 *
 * <pre>
 * ./mvnw -o -q install -DskipTests          # the jars the stack launches
 * cd integration-tests &amp;&amp; mvn -o -q test-compile exec:java -Dexec.mainClass=io.facecast.it.SyncBenchmark \
 *     -Dexec.classpathScope=test -Dexec.args="--sessions 8 --seconds 60 --csv target/sync.csv"
 * </pre>
 * For 10 minutes and more use {@code --seconds 600} (and {@code MAVEN_OPTS=-Xmx2g}: received audio is kept).
 */
public final class SyncBenchmark {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    public static void main(String[] args) throws Exception {
        int sessions = 1;
        int seconds = 60;
        int warmUp = 8;
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
        try (LocalStack stack = LocalStack.start("sync-bench", 1, Math.max(8, sessions), Duration.ofSeconds(5));
             FacecastClient client = FacecastClient.connect(stack.signalingTarget)) {
            StackReadiness.awaitStreamerRegistered(client, stack);
            List<SyncMarkerTest.MarkerReceiver> receivers = new ArrayList<>();
            try {
                for (int i = 0; i < sessions; i++) {
                    SyncMarkerTest.MarkerReceiver r = new SyncMarkerTest.MarkerReceiver(client);
                    receivers.add(r);
                    if (!r.session.awaitConnected(Duration.ofSeconds(30))) {
                        throw new IllegalStateException("session " + i + " did not connect:\n" + stack.logs());
                    }
                }
                double cpuBefore = cpu(stack);
                long start = System.nanoTime();
                long measureFrom = start + warmUp * SECOND;
                long end = measureFrom + seconds * SECOND;
                List<Thread> speakers = new ArrayList<>();
                for (SyncMarkerTest.MarkerReceiver r : receivers) {
                    Thread t = new Thread(() -> speakUntil(r, end), "speaker-" + r.session.sessionId());
                    t.start();
                    speakers.add(t);
                }
                for (Thread t : speakers) {
                    t.join();
                }
                double cpuUsed = cpu(stack) - cpuBefore;
                double wall = (System.nanoTime() - start) / 1e9;
                Thread.sleep(1500);
                report(receivers, measureFrom, end, csv, cpuUsed / wall);
            } finally {
                receivers.forEach(SyncMarkerTest.MarkerReceiver::close);
            }
        }
        System.exit(0); // the native WebRTC threads are not daemons
    }

    /** Speaks with markers back to back until {@code end}; the last utterance is allowed to finish. */
    private static void speakUntil(SyncMarkerTest.MarkerReceiver r, long end) {
        try {
            while (System.nanoTime() < end) {
                long id = r.session.speak(SyncMarkerTest.LONG_TEXT, true);
                Optional<ReceivedEvent> done = r.session.awaitEvent(e -> e.hasSpeechFinished()
                        && e.getSpeechFinished().getUtteranceId() == id, Duration.ofSeconds(60));
                if (done.isEmpty()) {
                    System.err.println("session " + r.session.sessionId() + ": utterance " + id + " did not finish");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double cpu(LocalStack stack) throws Exception {
        double sum = 0;
        for (JvmProcess p : stack.all()) {
            sum += p.cpuSeconds();
        }
        return sum;
    }

    private static void report(List<SyncMarkerTest.MarkerReceiver> receivers, long from, long to, Path csv,
                               double stackCores) throws Exception {
        List<Double> all = new ArrayList<>();
        List<Double> firstMinute = new ArrayList<>(), lastMinute = new ArrayList<>();
        List<Double> firstTenth = new ArrayList<>(), lastTenth = new ArrayList<>();
        long tenth = (to - from) / 10;
        List<Long> pacingP99 = new ArrayList<>();
        List<Long> pacingMax = new ArrayList<>();
        List<Double> fps = new ArrayList<>();
        int unpairedFlashes = 0, unpairedBursts = 0;
        List<Long> pullLateness = new ArrayList<>();
        PrintWriter out = csv == null ? null : new PrintWriter(Files.newBufferedWriter(csv));
        if (out != null) out.println("session,video_s,skew_ms");
        for (int i = 0; i < receivers.size(); i++) {
            SyncMarkerTest.MarkerReceiver r = receivers.get(i);
            SyncMarkerAnalysis.Result result = SyncMarkerAnalysis.analyze(r.recording, r.flashes);
            unpairedFlashes += (int) result.unpairedFlashNanos().stream().filter(t -> t >= from && t < to).count();
            unpairedBursts += (int) result.unpairedBurstNanos().stream().filter(t -> t >= from && t < to).count();
            for (SyncMarkerAnalysis.Marker m : result.between(from, to)) {
                double s = m.skewMillis();
                all.add(s);
                if (m.videoNanos() < from + MINUTE) firstMinute.add(s);
                if (m.videoNanos() >= to - MINUTE) lastMinute.add(s);
                if (m.videoNanos() < from + tenth) firstTenth.add(s);
                if (m.videoNanos() >= to - tenth) lastTenth.add(s);
                if (out != null) out.printf("%d,%.3f,%.3f%n", i, (m.videoNanos() - from) / 1e9, s);
            }
            for (ReceivedEvent e : r.session.events()) {
                SessionEvent ev = e.event();
                if (ev.hasStats() && e.arrivalNanos() >= from && e.arrivalNanos() < to) {
                    pacingP99.add(ev.getStats().getPacingErrorP99Us());
                    pacingMax.add(ev.getStats().getPacingErrorMaxUs());
                    fps.add(ev.getStats().getVideoFps());
                }
            }
            List<Long> arrivals = r.recording.audioChunkArrivals();
            int rate = r.recording.audioSampleRate();
            if (rate > 0) {
                AudioPlayoutClock clock = new AudioPlayoutClock(arrivals, rate, rate / 100, 50);
                for (int c = 0; c < arrivals.size(); c++) {
                    if (arrivals.get(c) >= from && arrivals.get(c) < to) pullLateness.add(clock.lateness(c, arrivals.get(c)));
                }
            }
        }
        if (out != null) out.close();
        double[] skews = all.stream().mapToDouble(Double::doubleValue).toArray();
        double[] absSkews = Arrays.stream(skews).map(Math::abs).toArray();
        long expected = receivers.size() * (to - from) / SECOND;
        System.out.printf("%n==== sync benchmark: %d session(s), %.0f s measured ====%n", receivers.size(), (to - from) / 1e9);
        System.out.printf("markers: %d paired (~%d expected: one per second per session, fewer across utterance gaps);"
                + " unpaired flashes %d, bursts %d%n", skews.length, expected, unpairedFlashes, unpairedBursts);
        System.out.printf("skew (audio - video) ms: p50 %.1f  p95 %.1f  max %.1f  min %.1f  |skew| p95 %.1f max %.1f%n",
                SyncMarkerAnalysis.percentile(skews, 50), SyncMarkerAnalysis.percentile(skews, 95),
                SyncMarkerAnalysis.percentile(skews, 100), SyncMarkerAnalysis.percentile(skews, 0),
                SyncMarkerAnalysis.percentile(absSkews, 95), SyncMarkerAnalysis.percentile(absSkews, 100));
        System.out.printf("drift: mean skew first minute %.1f ms, last minute %.1f ms (%+.1f); first tenth %.1f, last tenth %.1f (%+.1f)%n",
                mean(firstMinute), mean(lastMinute), mean(lastMinute) - mean(firstMinute),
                mean(firstTenth), mean(lastTenth), mean(lastTenth) - mean(firstTenth));
        double[] p99 = pacingP99.stream().mapToDouble(Long::doubleValue).toArray();
        double[] max = pacingMax.stream().mapToDouble(Long::doubleValue).toArray();
        System.out.printf("sender pacing error (streamer Stats, per 2 s report): p99 median %.0f us, worst %.0f us;"
                        + " max worst %.0f us; delivered fps min %.1f%n",
                SyncMarkerAnalysis.percentile(p99, 50), SyncMarkerAnalysis.percentile(p99, 100),
                SyncMarkerAnalysis.percentile(max, 100), fps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        double[] late = pullLateness.stream().mapToDouble(l -> l / 1e6).toArray();
        System.out.printf("receiver audio pull lateness ms (removed from the measurement): p50 %.2f p99 %.2f max %.2f%n",
                SyncMarkerAnalysis.percentile(late, 50), SyncMarkerAnalysis.percentile(late, 99),
                SyncMarkerAnalysis.percentile(late, 100));
        System.out.printf("stack CPU (renderer+signaling+streamer): %.2f cores%n", stackCores);
        if (csv != null) System.out.println("per-marker CSV: " + csv.toAbsolutePath());
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
