package io.facecast.renderer.bench;

import io.facecast.bus.BusRecord;
import io.facecast.bus.BusTailer;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.SegmentObserver;
import io.facecast.renderer.tts.FreeTtsSynthesizer;
import io.facecast.renderer.viseme.MouthParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prints mouth patch rendering rate (one thread, 512x512) and speak -> first VIDEO record latency for a 20-word
 * sentence through the real pipeline and a real queue in a temp directory. Run with the Chronicle JVM flags.
 */
public final class RendererBenchmark {
    private static final String TWENTY_WORDS =
            "The quick brown fox jumps over the lazy dog while a small crowd of curious people watches the show today.";

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        patchRate();
        speakLatency(Integer.parseInt(args.length > 0 ? args[0] : "10"));
    }

    private static void patchRate() {
        DefaultAvatar a = new DefaultAvatar(512, 512);
        for (int i = 0; i < 500; i++) {
            a.mouthPatch(new MouthParams(i % 10 / 10.0, 0.5, 0.3));
        }
        int n = 3000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            a.mouthPatch(new MouthParams(i % 10 / 10.0, (i % 7) / 7.0, (i % 3) / 3.0));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("mouth patch %dx%d @512x512: %.0f patches/s on one thread%n",
                a.mouthRegion().width(), a.mouthRegion().height(), n / s);
    }

    private static void speakLatency(int runs) throws Exception {
        Path dir = Files.createTempDirectory("renderer-bench");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        LinkedBlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
        try (BusTailer tailer = new BusTailer(dir); BusAppenders buses = new BusAppenders()) {
            RenderSessions sessions = new RenderSessions(new FreeTtsSynthesizer(1), AvatarRegistry.builtIn(), buses, pool,
                    (s, u, o) -> done.add(o));
            sessions.open("bench", "", "", MediaSpec.getDefaultInstance(), dir.toString());
            BusRecord r = new BusRecord();
            double[] firstMs = new double[runs];
            double[] wholeMs = new double[runs];
            long frames = 0;
            for (int i = 0; i <= runs; i++) {
                while (tailer.next(r)) { /* skip what is there */ }
                long t0 = System.nanoTime();
                sessions.speak("bench", i + 1, TWENTY_WORDS, false);
                long first = 0;
                while (true) {
                    if (tailer.next(r)) {
                        if (r.kind() == RecordKind.VIDEO && first == 0) {
                            first = System.nanoTime();
                        }
                        if (r.kind() == RecordKind.SEGMENT_END) {
                            frames = r.sequence();
                            break;
                        }
                    } else {
                        Thread.onSpinWait();
                    }
                }
                long end = System.nanoTime();
                done.take();
                if (i > 0) { // run 0 warms up the JIT
                    firstMs[i - 1] = (first - t0) / 1e6;
                    wholeMs[i - 1] = (end - t0) / 1e6;
                }
            }
            Arrays.sort(firstMs);
            Arrays.sort(wholeMs);
            System.out.printf("20-word sentence (%d frames @30fps = %.1f s of video): speak -> first VIDEO median %.1f ms"
                            + " (max %.1f), whole segment median %.1f ms, %d runs%n",
                    frames, frames / 30.0, firstMs[runs / 2], firstMs[runs - 1], wholeMs[runs / 2], runs);
            sessions.close();
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
