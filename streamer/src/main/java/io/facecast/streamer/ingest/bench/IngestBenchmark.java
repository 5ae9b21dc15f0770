package io.facecast.streamer.ingest.bench;

import io.facecast.bus.BusAppender;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.I420;
import io.facecast.bus.MediaBus;
import io.facecast.streamer.ingest.BusIngest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What reading the bus costs the streamer as the number of sessions grows. For each N it writes N sessions' worth of
 * realistic traffic in real time (per session: the 512x512 idle base once, then continuous speech: 50 AUDIO records/s
 * of 20 ms at 48 kHz and 30 VIDEO records/s carrying a 136x84 mouth patch, as the default avatar's), while the real
 * {@link BusIngest} thread reads it with its real back-off, every session always having room. Prints per N: records
 * routed, records whose header an ingest read per routed record (1.0 is O(records); N is O(sessions x records)), the
 * ingest thread's CPU time (ThreadMXBean: utime+stime, not wall clock, so it is meaningful on a busy machine) per
 * second and per routed record, and the bus directory's largest size during the run
 * (allocated, as {@code du} counts it).
 *
 * <pre>java [chronicle flags] -cp streamer/target/facecast-streamer.jar:streamer/target/lib/* \
 *     io.facecast.streamer.ingest.bench.IngestBenchmark [seconds=10] [dir=/dev/shm/facecast-ingest-bench] [N...=1 4 8 16]</pre>
 */
public final class IngestBenchmark {
    private static final int RATE = 48_000, FPS = 30, SIZE = 512;
    private static final int MOUTH_X = 188, MOUTH_Y = 294, MOUTH_W = 136, MOUTH_H = 84;
    private static final long AUDIO_PERIOD = 20_000_000L;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path root = Path.of(args.length > 1 ? args[1] : (Files.isDirectory(Path.of("/dev/shm"))
                ? "/dev/shm/facecast-ingest-bench" : System.getProperty("java.io.tmpdir") + "/facecast-ingest-bench"));
        int[] ns = args.length > 2 ? Stream.of(args).skip(2).mapToInt(Integer::parseInt).toArray() : new int[]{1, 4, 8, 16};
        System.out.printf("ingest benchmark: %d s of continuous speech per N, bus under %s%n", seconds, root);
        System.out.println("sessions,records_routed,headers_read_per_routed,ingest_cpu_ms_per_s,ingest_cpu_us_per_record,"
                + "cpu_ms_per_s_per_session,bus_dir_max_mb");
        run(root.resolve("warm-up"), ns[ns.length - 1], 3, false); // JIT: the first N measured is not the compiler's
        for (int n : ns) {
            run(root.resolve("n" + n), n, seconds, true);
        }
    }

    private static void run(Path dir, int sessions, int seconds, boolean print) throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir);
        AtomicLong routed = new AtomicLong();
        Fixture f = new Fixture(dir, routed);
        try (f) {
            for (int i = 0; i < sessions; i++) {
                f.subscribe("bench-" + i);
            }
            f.ingest.start();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long ingestThread = findThread(mx, "bus-ingest");
            byte[] base = plane(SIZE, SIZE, 200);
            byte[] patch = plane(MOUTH_W, MOUTH_H, 90);
            byte[] pcm = new byte[RATE / 50 * 2];
            for (int i = 0; i < sessions; i++) {
                String s = "bench-" + i;
                f.append(s, new BusMessage.IdleBase(s, 0, 1, 1, SIZE, SIZE, FPS, base, 0));
                f.append(s, new BusMessage.SegmentStart(s, 1, "bench", RATE, 1, FPS, SIZE, SIZE, 0));
            }
            long cpu0 = mx.getThreadCpuTime(ingestThread);
            long routed0 = routed.get();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long audio = 0, video = 0, maxBytes = 0;
            while (true) {
                long nextAudio = start + audio * AUDIO_PERIOD;
                long nextVideo = start + video * 1_000_000_000L / FPS;
                long due = Math.min(nextAudio, nextVideo);
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
                for (int i = 0; i < sessions; i++) {
                    String s = "bench-" + i;
                    if (due == nextAudio) {
                        f.append(s, new BusMessage.Audio(s, 1, audio * RATE / 50, RATE, 1, pcm, 0));
                    } else {
                        f.append(s, new BusMessage.Video(s, 1, video, FPS, SIZE, SIZE,
                                new BusMessage.Region(MOUTH_X, MOUTH_Y, MOUTH_W, MOUTH_H), patch, 0));
                    }
                }
                if (due == nextAudio) {
                    audio++;
                    if (audio % 50 == 0) {
                        maxBytes = Math.max(maxBytes, sizeOf(dir));
                    }
                } else {
                    video++;
                }
            }
            long expected = routed0 + (audio + video) * sessions;
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (routed.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long cpu = mx.getThreadCpuTime(ingestThread) - cpu0;
            long n = routed.get() - routed0;
            double wall = seconds;
            if (!print) {
                return;
            }
            System.out.printf("%d,%d,%.2f,%.2f,%.2f,%.3f,%.1f%n", sessions, n, f.headersRead() / (double) routed.get(),
                    cpu / 1e6 / wall, n == 0 ? 0 : cpu / 1e3 / n, cpu / 1e6 / wall / sessions, maxBytes / 1e6);
            if (n < (audio + video) * sessions) {
                System.out.printf("  (only %d of %d records arrived)%n", n, (audio + video) * sessions);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Everything that depends on the bus layout: how the renderer appends and how the streamer opens readers. */
    private static final class Fixture implements AutoCloseable {
        final Path dir;
        final Map<String, BusAppender> appenders = new HashMap<>();
        final BusIngest ingest;

        Fixture(Path dir, AtomicLong routed) {
            this.dir = dir;
            this.ingest = new BusIngest(s -> BusTailer.ofSession(dir, s), r -> routed.incrementAndGet(), s -> true,
                    System::nanoTime);
        }

        void subscribe(String session) {
            ingest.subscribe(session);
            appenders.put(session, new BusAppender(MediaBus.sessionQueue(dir, session)));
        }

        void append(String session, BusMessage r) {
            appenders.get(session).append(r);
        }

        /** Every record an ingest reader opened (with one queue per session: only its own). */
        long headersRead() {
            return ingest.recordsRead();
        }

        @Override
        public void close() throws Exception {
            ingest.close();
            for (BusAppender a : appenders.values()) {
                a.close();
            }
        }
    }

    private static byte[] plane(int w, int h, int luma) {
        byte[] b = new byte[I420.size(w, h)];
        java.util.Arrays.fill(b, 0, w * h, (byte) luma);
        java.util.Arrays.fill(b, w * h, b.length, (byte) 128);
        return b;
    }

    private static long findThread(ThreadMXBean mx, String name) {
        for (ThreadInfo t : mx.dumpAllThreads(false, false)) {
            if (t.getThreadName().equals(name)) {
                return t.getThreadId();
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    /** Bytes the directory occupies (du: allocated blocks, as tmpfs charges them; cycle files are sparse). */
    private static long sizeOf(Path dir) throws IOException, InterruptedException {
        Process du = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        du.waitFor();
        try {
            return Long.parseLong(out.split("\\s+")[0]) * 1024;
        } catch (NumberFormatException e) {
            return 0; // a file deleted while du walked
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
