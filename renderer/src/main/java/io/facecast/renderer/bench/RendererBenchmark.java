package io.facecast.renderer.bench;

import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.segment.SegmentWriter;
import io.facecast.renderer.session.AudioUpload;
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
    private static final String TWENTY_WORDS = VoiceBenchmark.TWENTY_WORDS;

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        patchRate();
        int runs = Integer.parseInt(args.length > 0 ? args[0] : "10");
        VoiceBenchmark.measure(new FreeTtsSynthesizer(1), "default", runs); // 20-word sentence, embedded voice
        longTextLatency(runs);
        suppliedAudio(runs);
    }

    /**
     * Supplied audio on one render thread: first chunk accepted -> first VIDEO record on the bus (a 40 ms first chunk,
     * i.e. more than one 33 ms frame; and 20 ms chunks paced in real time, where the first frame needs the second
     * chunk), and the render rate of 10 s of audio handed over at once (frames per second of wall time).
     */
    private static void suppliedAudio(int runs) throws Exception {
        Path dir = Files.createTempDirectory("renderer-bench-audio");
        ExecutorService pool = Executors.newFixedThreadPool(1);
        LinkedBlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
        try (BusTailer tailer = BusTailer.ofSession(dir, "bench"); BusAppenders buses = new BusAppenders()) {
            RenderSessions sessions = new RenderSessions(new FreeTtsSynthesizer(1), AvatarRegistry.builtIn(), buses, pool,
                    (s, u, o) -> done.add(o));
            sessions.open("bench", "", "", MediaSpec.getDefaultInstance(), dir.toString());
            byte[] tenSeconds = speechLike16k(10_000);
            double[] first40 = new double[runs], first20 = new double[runs], fps = new double[runs];
            long utterance = 1;
            for (int i = 0; i <= runs; i++) {
                for (int mode = 0; mode < 3; mode++) {
                    while (tailer.next() != null) { /* skip what is there */ }
                    AudioUpload up = sessions.speakAudio("bench", utterance++, false, 16000, 1, "");
                    long t0 = System.nanoTime();
                    long first = 0;
                    if (mode == 0) {
                        up.accept(Arrays.copyOfRange(tenSeconds, 0, 1280)); // 40 ms
                        first = awaitVideo(tailer);
                        up.accept(Arrays.copyOfRange(tenSeconds, 1280, 16000));
                    } else if (mode == 1) {
                        up.accept(Arrays.copyOfRange(tenSeconds, 0, 640)); // 20 ms
                        while (System.nanoTime() < t0 + 20_000_000L) {
                            Thread.onSpinWait(); // the second chunk is due 20 ms later, as from a live source
                        }
                        up.accept(Arrays.copyOfRange(tenSeconds, 640, 1280));
                        first = awaitVideo(tailer);
                    } else {
                        up.accept(tenSeconds);
                    }
                    up.finish();
                    long frames = awaitEnd(tailer);
                    long end = System.nanoTime();
                    done.take();
                    if (i > 0) {
                        switch (mode) {
                            case 0 -> first40[i - 1] = (first - t0) / 1e6;
                            case 1 -> first20[i - 1] = (first - t0) / 1e6;
                            default -> fps[i - 1] = frames / ((end - t0) / 1e9);
                        }
                    }
                }
            }
            Arrays.sort(first40);
            Arrays.sort(first20);
            Arrays.sort(fps);
            System.out.printf("supplied audio, first chunk -> first VIDEO on the bus: 40 ms chunk median %.1f ms (max %.1f);"
                            + " 20 ms chunks in real time median %.1f ms (max %.1f); %d runs%n",
                    first40[runs / 2], first40[runs - 1], first20[runs / 2], first20[runs - 1], runs);
            System.out.printf("supplied audio render rate on one thread, 512x512@30: median %.0f fps = %.1fx real time%n",
                    fps[runs / 2], fps[runs / 2] / 30);
            sessions.close();
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Six sentences, 107 words: about 35 s of speech. */
    static final String LONG_TEXT = TWENTY_WORDS
            + " Nobody had expected the weather to hold for the whole afternoon, but the sun stayed out until evening."
            + " Later on, the children went down to the river to look for smooth stones and small silver fish."
            + " Their parents followed slowly, talking about the harvest, the prices at the market and the new bridge."
            + " When the light began to fade, everyone gathered around the fire and told stories from long ago."
            + " Finally, tired and happy, they walked home under a sky full of stars and went to bed.";

    /**
     * speak(long text) -> first VIDEO: streamed sentence by sentence through the real sessions and queue, against the
     * whole-text path it replaced (synthesize everything, then write; timed to its first VIDEO hand-off, no queue hop).
     */
    private static void longTextLatency(int runs) throws Exception {
        Path dir = Files.createTempDirectory("renderer-bench-long");
        ExecutorService pool = Executors.newFixedThreadPool(1);
        LinkedBlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
        FreeTtsSynthesizer tts = new FreeTtsSynthesizer(1);
        try (BusTailer tailer = BusTailer.ofSession(dir, "bench"); BusAppenders buses = new BusAppenders()) {
            RenderSessions sessions = new RenderSessions(tts, AvatarRegistry.builtIn(), buses, pool, (s, u, o) -> done.add(o));
            sessions.open("bench", "", "", MediaSpec.getDefaultInstance(), dir.toString());
            DefaultAvatar avatar = new DefaultAvatar(512, 512);
            double[] streamed = new double[runs], whole = new double[runs];
            long frames = 0;
            for (int i = 0; i <= runs; i++) {
                while (tailer.next() != null) { /* skip what is there */ }
                long t0 = System.nanoTime();
                sessions.speak("bench", i + 1, LONG_TEXT, false);
                long first = awaitVideo(tailer);
                frames = awaitEnd(tailer);
                done.take();

                long[] firstOld = {0};
                long t1 = System.nanoTime();
                SegmentMedia media = SegmentMedia.of(tts.synthesize(LONG_TEXT, "default"), 30);
                new SegmentWriter(records -> {
                    if (firstOld[0] == 0 && records[0].kind() == RecordKind.VIDEO) {
                        firstOld[0] = System.nanoTime();
                    }
                }).write("bench", 0, LONG_TEXT, media, avatar, false, () -> firstOld[0] != 0);
                if (i > 0) {
                    streamed[i - 1] = (first - t0) / 1e6;
                    whole[i - 1] = (firstOld[0] - t1) / 1e6;
                }
            }
            Arrays.sort(streamed);
            Arrays.sort(whole);
            System.out.printf("long text (6 sentences, 107 words, %.1f s of video): speak -> first VIDEO streamed by sentence"
                            + " median %.1f ms (max %.1f); whole text synthesized first median %.1f ms (max %.1f); %d runs%n",
                    frames / 30.0, streamed[runs / 2], streamed[runs - 1], whole[runs / 2], whole[runs - 1], runs);
            sessions.close();
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static long awaitVideo(BusTailer tailer) {
        while (true) {
            BusMessage r = tailer.next();
            if (r != null) {
                if (r instanceof BusMessage.Video) {
                    return System.nanoTime();
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static long awaitEnd(BusTailer tailer) {
        while (true) {
            BusMessage r = tailer.next();
            if (r != null) {
                if (r instanceof BusMessage.SegmentEnd e) {
                    return e.totalFrames();
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** 16 kHz s16le: voiced bursts, 200 ms on / 100 ms off. */
    private static byte[] speechLike16k(int ms) {
        int n = 16 * ms;
        byte[] out = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            double t = i / 16000.0;
            short v = (i / 16) % 300 < 200 ? (short) (6000 * Math.sin(2 * Math.PI * 140 * t) + 5000 * Math.sin(2 * Math.PI * 650 * t)) : 0;
            out[2 * i] = (byte) v;
            out[2 * i + 1] = (byte) (v >> 8);
        }
        return out;
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
}
