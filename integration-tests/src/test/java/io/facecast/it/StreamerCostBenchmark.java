package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (not a test): where the streamer's time and memory go with N sessions all speaking, the real three
 * processes, receivers (webrtc-java, decoding) in this JVM. Prints, over the measured window: CPU time (utime+stime)
 * of each process and of each streamer thread group, page faults per thread group, the scheduler's lateness (pushes
 * more than 20/50 ms late, from its metrics), time inside the native push calls, GC and safepoint pauses (from the
 * streamer's {@code -Xlog:gc*,safepoint}), audio gaps at the receivers (and how many were simultaneous on all
 * streams), and PSS of each process ({@code /proc/PID/smaps_rollup}) with the streamer's split by mapping kind.
 * Figures are CPU times, not wall-clock, so a noisy machine skews them less. Script: {@code scripts/streamer-cost.sh}.
 *
 * <pre>
 * ./mvnw -B -q -o -DskipTests package
 * scripts/streamer-cost.sh --sessions 8 --seconds 30 [--label NAME] [--streamer-jvm "EXTRA FLAGS"]
 *     [--jvm-options none]   (none: the JVM's defaults instead of streamer/jvm.options, i.e. before them)
 * </pre>
 */
public final class StreamerCostBenchmark {
    private static final String TEXT = "This is Facecast speaking without a pause. Every sentence here is rendered, "
            + "queued on the bus, paced by the streamer and sent over WebRTC, while you measure it.";
    private static final double TICK = 100.0; // USER_HZ
    private static final Pattern PAUSE = Pattern.compile("\\[([0-9.]+)s].*(Pause [A-Za-z ()]+?)\\s.*?([0-9.]+)ms$");
    private static final Pattern SAFEPOINT = Pattern.compile(
            "\\[([0-9.]+)s].*Safepoint \"([^\"]+)\".*Reaching safepoint: (\\d+) ns.*At safepoint: (\\d+) ns, Total: (\\d+) ns");

    private static final Pattern WALL = Pattern.compile("^\\[([0-9T:.+-]+)]");
    private static final Pattern LATE = Pattern.compile("pushed (\\w+) (\\d+) ms late \\(it was due at ([^)]+)\\)");
    /** Safepoint intervals in the window, wall-clock ms {from, to}, to attribute late pushes. */
    private static final List<long[]> SAFEPOINTS = new ArrayList<>();
    private static final Pattern MAPPING = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    public static void main(String[] args) throws Exception {
        int[] steps = {8};
        int seconds = 30;
        int warmup = 8;
        String label = "cost";
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> steps = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--label" -> label = args[++i];
                case "--streamer-jvm" -> jvm.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
                case "--jvm-options" -> System.setProperty(JvmProcess.STREAMER_JVM_OPTIONS_PROPERTY, args[++i]);
                default -> throw new IllegalArgumentException("usage: [--sessions N[,N2,...]] [--seconds T] "
                        + "[--warmup S] [--label NAME] [--jvm-options none|FILE] [--streamer-jvm \"FLAGS\"]");
            }
        }
        jvm.removeIf(String::isBlank);
        Path logs = Path.of("target", "it-logs", label).toAbsolutePath();
        Files.createDirectories(logs);
        Path gcLog = logs.resolve("streamer-gc.log");
        Files.deleteIfExists(gcLog);
        jvm.add("-Xlog:gc*,safepoint:file=" + gcLog + ":time,uptime,level,tags");
        System.setProperty(JvmProcess.STREAMER_JVM_FLAGS_PROPERTY, String.join(" ", jvm));
        int most = Arrays.stream(steps).max().orElse(1);

        // Room for twice the sessions measured: signaling places a session only on a streamer below its load
        // threshold (0.8 of its slots), so slots = sessions would refuse the last ones.
        try (LocalStack stack = LocalStack.start(label, 1, Math.max(16, 2 * most), Duration.ofSeconds(30));
             FacecastClient client = stack.client()) {
            JvmProcess streamer = stack.streamers.get(0);
            String metrics = Scrape.opsUrl(streamer) + "metrics";
            System.out.printf(Locale.ROOT, "== streamer cost: %s session(s), %d s measured after %d s warm-up each, "
                    + "streamer flags %s (plus streamer/jvm.options unless --jvm-options) ==%n", Arrays.toString(steps),
                    seconds, warmup, jvm);
            printPss("pss before sessions", stack, streamer);
            List<ReceiverSession> open = new ArrayList<>();
            List<Recording> recordings = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> talkers = new ArrayList<>();
            for (int sessions : steps) {
                while (open.size() < sessions) {
                    Recording r = new Recording(0);
                    ReceiverSession s = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), r);
                    if (!s.awaitConnected(Duration.ofSeconds(30))) {
                        throw new IllegalStateException("session " + open.size() + " did not connect");
                    }
                    open.add(s);
                    recordings.add(r);
                    Thread t = new Thread(() -> talk(s, running));
                    t.start();
                    talkers.add(t);
                }
                Thread.sleep(warmup * 1000L);
                measure(stack, streamer, metrics, gcLog, recordings, sessions, seconds, jvm);
            }
            running.set(false);
            for (ReceiverSession s : open) {
                s.close();
            }
            for (Thread t : talkers) {
                t.join(5_000);
            }
        }
        System.exit(0); // the receivers' native WebRTC threads are not daemons
    }

    private static void measure(LocalStack stack, JvmProcess streamer, String metrics, Path gcLog,
                                List<Recording> recordings, int sessions, int seconds, List<String> jvm)
            throws Exception {
        System.out.printf(Locale.ROOT, "-- %d session(s) speaking --%n", sessions);
        long gcFrom = Files.exists(gcLog) ? Files.size(gcLog) : 0;
        long logFrom = Files.size(streamer.log());
        Scrape m0 = Scrape.of(metrics);
        Map<String, long[]> t0 = threads(streamer.pid());
        double[] cpu0 = cpu(stack);
        long[] frames0 = recordings.stream().mapToLong(Recording::frameCount).toArray();
        long w0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long w1 = System.nanoTime();
        double[] cpu1 = cpu(stack);
        Map<String, long[]> t1 = threads(streamer.pid());
        Scrape m1 = Scrape.of(metrics);
        long[] frames1 = recordings.stream().mapToLong(Recording::frameCount).toArray();
        double elapsed = (w1 - w0) / 1e9;

        String[] names = {"renderer", "signaling", "streamer"};
        for (int p = 0; p < names.length; p++) {
            double pct = 100 * (cpu1[p] - cpu0[p]) / elapsed;
            System.out.printf(Locale.ROOT, "cpu %-9s %6.1f %% of one core  (%.2f %% per session)%n", names[p],
                    pct, pct / sessions);
        }
        printThreads(t0, t1, elapsed);
        printPacing(m0, m1);
        printGc(gcLog, gcFrom);
        printLate(streamer.log(), logFrom);
        printReceivers(recordings, frames0, frames1, elapsed, w0, w1);
        printPss("pss with " + sessions + " sessions", stack, streamer);
        jcmd(streamer.pid(), "GC.heap_info");
        if (jvm.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"))) {
            jcmd(streamer.pid(), "VM.native_memory", "summary");
        }
    }

    /** Keeps one utterance queued behind the one playing, so the avatar never stops talking. */
    private static void talk(ReceiverSession s, AtomicBoolean running) {
        try {
            long id = s.speak(TEXT);
            while (running.get()) {
                long current = id;
                s.awaitEvent(e -> e.hasSpeechStarted() && e.getSpeechStarted().getUtteranceId() == current,
                        Duration.ofSeconds(30));
                id = s.speak(TEXT);
                s.awaitEvent(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == current,
                        Duration.ofSeconds(60));
            }
        } catch (Exception e) {
            if (running.get()) {
                e.printStackTrace();
            }
        }
    }

    private static double[] cpu(LocalStack stack) throws IOException {
        return new double[]{stack.renderer.cpuSeconds(), stack.signaling.cpuSeconds(),
                stack.streamers.get(0).cpuSeconds()};
    }

    /** Per thread group (name with digits folded): {utime+stime ticks, minflt, majflt, threads}. */
    static Map<String, long[]> threads(long pid) throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long[] v = out.computeIfAbsent(name, k -> new long[6]);
                v[5] = Long.parseLong(f[16]); // nice (of the group's last thread read)
                v[0] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                v[1] += Long.parseLong(f[7]);
                v[2] += Long.parseLong(f[9]);
                v[3]++;
                try { // "on-cpu ns, run-queue wait ns, timeslices": the wait is time runnable but preempted
                    v[4] += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException | RuntimeException noSchedstat) {
                    // a kernel without schedstats: the column reads 0
                }
            }
        }
        return out;
    }

    /** Thread groups by CPU over the window. Threads that ended in the window are missed (their time is gone). */
    private static void printThreads(Map<String, long[]> t0, Map<String, long[]> t1, double elapsed) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>();
        for (var e : t1.entrySet()) {
            long[] a = t0.getOrDefault(e.getKey(), new long[6]);
            long[] b = e.getValue();
            rows.add(Map.entry(e.getKey(), new long[]{b[0] - a[0], b[1] - a[1], b[2] - a[2], b[3], b[4] - a[4],
                    b[5]}));
        }
        rows.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        System.out.println("streamer threads (name with digits as #): % of one core, minor/major page faults per s, "
                + "run-queue wait (runnable but not running) ms per s");
        for (var r : rows) {
            long[] v = r.getValue();
            if (v[0] == 0 && v[1] == 0 && v[2] == 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "  %-22s x%-3d %6.2f %%  minflt %8.1f/s  majflt %d  rq-wait %6.1f ms/s"
                    + "  nice %d%n", r.getKey(), v[3], 100 * v[0] / TICK / elapsed, v[1] / elapsed, v[2],
                    v[4] / 1e6 / elapsed, v[5]);
        }
    }

    private static void printPacing(Scrape m0, Scrape m1) {
        double frames = delta(m0, m1, "facecast_streamer_video_frames_total");
        double repeated = delta(m0, m1, "facecast_streamer_video_frames_repeated_total");
        if (!Double.isNaN(repeated)) { // streamers that re-send an unchanged picture without copying it
            System.out.printf(Locale.ROOT, "video frames pushed %.0f, of which repeats of the previous picture %.0f "
                    + "(%.1f %%)%n", frames, repeated, 100 * repeated / frames);
        }
        for (String media : new String[]{"audio", "video"}) {
            String h = "facecast_streamer_pacing_error_seconds";
            double n = delta(m0, m1, h + "_count", "media", media);
            double over20 = n - delta(m0, m1, h + "_bucket", "media", media, "le", "0.02");
            double over50 = n - delta(m0, m1, h + "_bucket", "media", media, "le", "0.05");
            double over100 = n - delta(m0, m1, h + "_bucket", "media", media, "le", "0.1");
            double mean = delta(m0, m1, h + "_sum", "media", media) / n;
            String d = "facecast_streamer_push_duration_seconds";
            double pn = delta(m0, m1, d + "_count", "media", media);
            double pushMean = delta(m0, m1, d + "_sum", "media", media) / pn;
            double push5 = pn - delta(m0, m1, d + "_bucket", "media", media, "le", "0.005");
            System.out.printf(Locale.ROOT, "pacing %s: %.0f pushes, mean lateness %.2f ms, late > 20 ms: %.0f, "
                    + "> 50 ms: %.0f, > 100 ms: %.0f; native push mean %.3f ms, > 5 ms: %.0f, push max (2 min) %.1f ms%n",
                    media, n, mean * 1e3, over20, over50, over100, pushMean * 1e3, push5,
                    m1.value(d + "_max", "media", media) * 1e3);
        }
    }

    private static double delta(Scrape a, Scrape b, String name, String... labels) {
        double x = a.value(name, labels);
        return b.value(name, labels) - (Double.isNaN(x) ? 0 : x);
    }

    private static void printGc(Path gcLog, long from) throws IOException {
        if (!Files.exists(gcLog)) {
            System.out.println("gc: no log");
            return;
        }
        String text = new String(Files.readAllBytes(gcLog), StandardCharsets.UTF_8).substring((int) from);
        Map<String, double[]> pauses = new TreeMap<>(); // kind -> {count, total ms, max ms}
        double spCount = 0, spTotal = 0, spMax = 0, spReachMax = 0;
        int over10 = 0;
        Map<String, Integer> spKinds = new HashMap<>();
        List<String> longPauses = new ArrayList<>();
        SAFEPOINTS.clear();
        for (String line : text.split("\n")) {
            Matcher p = PAUSE.matcher(line);
            if (p.find() && line.contains("gc") && !line.contains("safepoint")) {
                double ms = Double.parseDouble(p.group(3));
                double[] v = pauses.computeIfAbsent(p.group(2).trim(), k -> new double[3]);
                v[0]++;
                v[1] += ms;
                v[2] = Math.max(v[2], ms);
                if (ms > 20 && longPauses.size() < 15) {
                    longPauses.add(line.substring(0, Math.min(line.length(), 30)) + " " + p.group(2).trim() + " "
                            + ms + " ms");
                }
            }
            Matcher s = SAFEPOINT.matcher(line);
            if (s.find()) {
                double total = Long.parseLong(s.group(5)) / 1e6;
                spCount++;
                spTotal += total;
                spMax = Math.max(spMax, total);
                spReachMax = Math.max(spReachMax, Long.parseLong(s.group(3)) / 1e6);
                if (total > 10) {
                    over10++;
                }
                spKinds.merge(s.group(2), 1, Integer::sum);
                Matcher wall = WALL.matcher(line);
                if (wall.find()) { // the line is written as the safepoint ends
                    long end = java.time.OffsetDateTime.parse(wall.group(1),
                            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
                            .toInstant().toEpochMilli();
                    SAFEPOINTS.add(new long[]{end - Math.round(total) - 1, end + 1});
                }
            }
        }
        for (var e : pauses.entrySet()) {
            double[] v = e.getValue();
            System.out.printf(Locale.ROOT, "gc %s: %.0f, total %.1f ms, max %.2f ms%n", e.getKey(), v[0], v[1], v[2]);
        }
        System.out.printf(Locale.ROOT, "safepoints: %.0f, total %.1f ms, max %.2f ms (time to reach max %.2f ms), "
                + "> 10 ms: %d; kinds %s%n", spCount, spTotal, spMax, spReachMax, over10, spKinds);
        System.out.println("gc pauses over 20 ms (wall time, to line up with the late-push lines):");
        longPauses.forEach(l -> System.out.println("  " + l));
    }

    private static void printLate(Path log, long from) throws IOException {
        String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        text = text.substring((int) Math.min(from, text.length()));
        List<String> late = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.contains("scheduler pushed")) {
                late.add(line.trim());
            }
        }
        int inSafepoint = 0;
        for (String l : late) {
            Matcher m = LATE.matcher(l);
            if (m.find()) {
                long due = java.time.Instant.parse(m.group(3)).toEpochMilli();
                long pushed = due + Long.parseLong(m.group(2));
                if (SAFEPOINTS.stream().anyMatch(sp -> sp[0] < pushed && due < sp[1])) {
                    inSafepoint++;
                }
            }
        }
        System.out.println("late-push log lines (>= 20 ms late, at most one a second) in the window: " + late.size()
                + ", of which " + inSafepoint + " overlap a safepoint (GC or other VM pause)");
        late.stream().limit(10).forEach(l -> System.out.println("  " + l));
    }

    /** Audio gaps over 60 ms at each receiver, and the moments when every stream had one at once. */
    private static void printReceivers(List<Recording> recs, long[] f0, long[] f1, double elapsed, long w0, long w1) {
        List<List<long[]>> gaps = new ArrayList<>();
        double minFps = Double.MAX_VALUE;
        for (int i = 0; i < recs.size(); i++) {
            minFps = Math.min(minFps, (f1[i] - f0[i]) / elapsed);
            List<Long> arrivals = recs.get(i).audioChunkArrivals();
            List<long[]> g = new ArrayList<>();
            long prev = -1;
            for (long a : arrivals) {
                if (a < w0 || a > w1) {
                    continue;
                }
                if (prev > 0 && a - prev > 60_000_000L) {
                    g.add(new long[]{prev, a});
                }
                prev = a;
            }
            gaps.add(g);
        }
        int total = gaps.stream().mapToInt(List::size).sum();
        int simultaneous = 0;
        for (long[] gap : gaps.get(0)) {
            boolean all = true;
            for (int i = 1; i < gaps.size() && all; i++) {
                all = gaps.get(i).stream().anyMatch(o -> o[0] < gap[1] && gap[0] < o[1]);
            }
            if (all && gaps.size() > 1) {
                simultaneous++;
            }
        }
        long maxGap = gaps.stream().flatMap(List::stream).mapToLong(g -> g[1] - g[0]).max().orElse(0);
        System.out.printf(Locale.ROOT, "receivers: lowest fps %.1f; audio gaps > 60 ms: %d over all streams "
                + "(max %.0f ms), %d of stream 0's overlapping a gap on every other stream%n", minFps, total,
                maxGap / 1e6, simultaneous);
    }

    private static void printPss(String what, LocalStack stack, JvmProcess streamer) throws IOException {
        System.out.printf(Locale.ROOT, "%s: PSS MiB renderer %.1f, signaling %.1f, streamer %.1f%n", what,
                pss(stack.renderer.pid()) / 1024.0, pss(stack.signaling.pid()) / 1024.0, pss(streamer.pid()) / 1024.0);
        System.out.println("  streamer by mapping (PSS MiB): " + pssByMapping(streamer.pid()));
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        System.out.println("streamer " + String.join(" ", command) + ":");
        for (String line : out.split("\n")) {
            if (!line.isBlank() && !line.contains("(malloc=0KB") && !line.startsWith(pid + ":")) {
                System.out.println("  " + line);
            }
        }
    }

    /** PSS of a process in KiB. */
    static long pss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** The streamer's PSS split: bus files (mmapped queue), webrtc native library, other files, anonymous. */
    static String pssByMapping(long pid) throws IOException {
        Map<String, Long> kinds = new TreeMap<>();
        String kind = "anon";
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            if (MAPPING.matcher(line).lookingAt()) {
                String[] f = line.trim().split("\\s+");
                String path = f.length >= 6 ? f[5] : "";
                if (path.endsWith(".cq4") || path.endsWith(".cq4t")) {
                    kind = "bus(.cq4)";
                } else if (path.contains("webrtc")) {
                    kind = "webrtc .so";
                } else if (path.startsWith("[heap]")) {
                    kind = "malloc [heap]";
                } else if (path.startsWith("[stack")) {
                    kind = "stacks";
                } else if (path.startsWith("/")) {
                    kind = "other files";
                } else {
                    kind = "anon (java heap, malloc arenas, thread stacks)";
                }
            } else if (line.startsWith("Pss:")) {
                kinds.merge(kind, Long.parseLong(line.replaceAll("[^0-9]", "")), Long::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        kinds.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%s %.1f; ", k, v / 1024.0)));
        return b.toString();
    }
}
