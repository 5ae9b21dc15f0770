package io.facecast.streamer.schedule.bench;

import io.facecast.bus.BusMessage;
import io.facecast.bus.I420;
import io.facecast.streamer.schedule.MediaSink;
import io.facecast.streamer.schedule.RealTimeClock;
import io.facecast.streamer.schedule.ScheduleListener;
import io.facecast.streamer.schedule.SchedulerConfig;
import io.facecast.streamer.schedule.SessionSpec;
import io.facecast.streamer.schedule.SessionStats;
import io.facecast.streamer.schedule.StreamerScheduler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs N sessions on the REAL clock for a while, every session speaking all the time (3 s utterances back to back, fed
 * ahead as far as {@code hasRoom} allows, like the bus reader): the worst case for composition, with sinks that only note push times. Prints the pacing
 * error (push time minus due time) and the CPU the scheduler thread used, after a 3 s warm-up.
 *
 * <pre>java -cp ... io.facecast.streamer.schedule.bench.SchedulerBenchmark [sessions=8] [seconds=10] [fps=30]
 *      [size=512] [spinMicros=0]</pre>
 */
public final class SchedulerBenchmark {
    private static final int RATE = 48_000;
    private static final int WARM_UP_SECONDS = 3;

    public static void main(String[] args) throws Exception {
        int sessions = arg(args, 0, 8);
        int seconds = arg(args, 1, 10);
        int fps = arg(args, 2, 30);
        int size = arg(args, 3, 512);
        int spinMicros = arg(args, 4, 0);

        RealTimeClock clock = new RealTimeClock(spinMicros * 1_000L);
        // The window holds exactly the pushes of the measured seconds: the warm-up (JIT) slides out of it.
        SchedulerConfig config = SchedulerConfig.defaults().withPacingWindow(seconds * (fps + 100));
        StreamerScheduler scheduler = new StreamerScheduler(clock, clock, config);
        scheduler.start();

        List<Feed> feeds = new ArrayList<>();
        List<CountingSink> sinks = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            String id = "bench-" + i;
            CountingSink sink = new CountingSink();
            sinks.add(sink);
            scheduler.open(new SessionSpec(id, size, size, fps, RATE, i), sink, ScheduleListener.NONE);
            feeds.add(new Feed(id, size, fps));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long schedulerThread = findThread(threads, "facecast-av-scheduler");
        feed(scheduler, feeds, System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L);
        long cpu0 = threads.getThreadCpuTime(schedulerThread);
        long process0 = processCpu();
        long start = System.nanoTime();
        feed(scheduler, feeds, start + seconds * 1_000_000_000L);
        long wall = System.nanoTime() - start;
        long cpu = threads.getThreadCpuTime(schedulerThread) - cpu0;
        long process = processCpu() - process0;

        List<SessionStats> stats = new ArrayList<>();
        for (Feed f : feeds) {
            stats.add(scheduler.stats(f.session));
        }
        scheduler.stop();

        long p50 = 0, p99 = 0, max = 0, frames = 0, chunks = 0, stalls = 0, skipped = 0;
        for (SessionStats s : stats) {
            p50 = Math.max(p50, s.pacingP50Us());
            p99 = Math.max(p99, s.pacingP99Us());
            max = Math.max(max, s.pacingMaxUs());
            frames += s.videoFramesPushed();
            chunks += s.audioChunksPushed();
            stalls += s.stalls();
            skipped += s.videoFramesSkipped();
        }
        long worstGapUs = 0;
        for (CountingSink s : sinks) { // over the whole run, warm-up included
            worstGapUs = Math.max(worstGapUs, s.worstVideoGapNanos / 1000);
        }
        System.out.printf("sessions=%d seconds=%d fps=%d frame=%dx%d spinMicros=%d cores=%d%n", sessions, seconds, fps,
                size, size, spinMicros, Runtime.getRuntime().availableProcessors());
        System.out.printf("pushed: %d video frames, %d audio chunks, %d frames skipped late, %d stalls%n",
                frames, chunks, skipped, stalls);
        System.out.printf("pacing error (worst session) p50=%d us p99=%d us max=%d us; worst video gap %d us%n",
                p50, p99, max, worstGapUs);
        System.out.printf("scheduler thread CPU %.1f%% of one core (%.0f ms in %.1f s); whole process %.1f%%%n",
                100.0 * cpu / wall, cpu / 1e6, wall / 1e9, 100.0 * process / wall);
    }

    /** Plays the bus reader until {@code end}: tops every session up to its look-ahead bound. */
    private static void feed(StreamerScheduler scheduler, List<Feed> feeds, long end) throws InterruptedException {
        while (System.nanoTime() < end) {
            for (Feed f : feeds) {
                while (scheduler.hasRoom(f.session)) {
                    scheduler.accept(f.next());
                }
            }
            Thread.sleep(5); // the feeder, not the scheduler: a bus reader polling its queue
        }
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    private static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static long findThread(ThreadMXBean threads, String name) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null && t.getThreadName().equals(name)) {
                    return t.getThreadId();
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("scheduler thread not found");
    }

    /** Notes only the largest interval between video pushes; copies nothing, as a real sink would copy once. */
    private static final class CountingSink implements MediaSink {
        long lastVideo;
        long worstVideoGapNanos;

        @Override
        public void pushVideo(byte[] i420, int width, int height) {
            long now = System.nanoTime();
            if (lastVideo != 0) {
                worstVideoGapNanos = Math.max(worstVideoGapNanos, now - lastVideo);
            }
            lastVideo = now;
        }

        @Override
        public void pushAudio(byte[] pcm, int sampleRate, int channels) {
        }
    }

    /** An endless renderer that is always early: idle material, then 3 s utterances back to back. */
    private static final class Feed {
        final String session;
        private final int size;
        private final int fps;
        private final List<BusMessage> pending = new ArrayList<>();
        private long utterance;
        private int cursor;

        Feed(String session, int size, int fps) {
            this.session = session;
            this.size = size;
            this.fps = fps;
            pending.add(new BusMessage.IdleBase(session, 0, 1, 1, size, size, fps, plane(size, size, 180), 0));
            pending.add(new BusMessage.IdleOverlay(session, 0, size, size, 0,
                    new BusMessage.Region(size / 4, size / 4, size / 2, size / 8), plane(size / 2, size / 8, 40), 0));
        }

        BusMessage next() {
            if (cursor == pending.size()) {
                pending.clear();
                cursor = 0;
                utterance++;
                int frames = 3 * fps;
                long samples = 3L * RATE;
                pending.add(new BusMessage.SegmentStart(session, utterance, "bench", RATE, 1, fps, size, size, 0));
                int mw = size / 4, mh = size / 8;
                for (int j = 0; j < frames; j++) {
                    pending.add(new BusMessage.Video(session, utterance, j, 0, 0, 0,
                            new BusMessage.Region(size / 2 - mw / 2 & ~1, size * 5 / 8 & ~1, mw & ~1, mh & ~1),
                            plane(mw & ~1, mh & ~1, 60 + j % 100), 0));
                    long from = (long) j * RATE / fps, to = (long) (j + 1) * RATE / fps;
                    pending.add(new BusMessage.Audio(session, utterance, from, RATE, 1, new byte[(int) (to - from) * 2], 0));
                }
                pending.add(new BusMessage.SegmentEnd(session, utterance, samples, frames, "", 0));
            }
            return pending.get(cursor++);
        }

        private static byte[] plane(int w, int h, int luma) {
            byte[] b = new byte[I420.size(w, h)];
            Arrays.fill(b, 0, w * h, (byte) luma);
            Arrays.fill(b, w * h, b.length, (byte) 128);
            return b;
        }
    }
}
