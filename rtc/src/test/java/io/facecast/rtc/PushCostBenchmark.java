package io.facecast.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a held picture costs the streamer, in CPU time (robust to a busy machine): N connected sender/receiver pairs in
 * this JVM, 512x512 at 30 fps of one unchanging picture, sent the way the streamer sent a held idle frame before
 * (compose: a 384 KiB copy of the idle base into the frame; push: a copy into a fresh native frame) and the way it
 * does now ({@link SendingPeer#repeatVideo}: the last native frame again). Prints, per mode, the pushing thread's CPU
 * per frame, the encoder threads' CPU (libwebrtc's "EncoderQueue", from /proc/self/task) and the frames the receivers
 * decoded. Modes alternate, twice each.
 *
 * <pre>scripts/push-cost.sh [--pairs 4] [--seconds 10]</pre>
 */
public final class PushCostBenchmark {
    private static final int W = 512;
    private static final int H = 512;
    private static final int FPS = 30;

    public static void main(String[] args) throws Exception {
        int pairs = 4;
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: [--pairs N] [--seconds S]");
            }
        }
        PeerConnectionFactory sendFactory = PeerFactories.forSending();
        PeerConnectionFactory receiveFactory = PeerFactories.forReceiving();
        List<SendingPeer> senders = new ArrayList<>();
        List<ReceivingPeer> receivers = new ArrayList<>();
        List<LoopbackTransportTest.Received> received = new ArrayList<>();
        try {
            for (int p = 0; p < pairs; p++) {
                LoopbackTransportTest.Received r = new LoopbackTransportTest.Received();
                LoopbackTransportTest.Wiring wiring = new LoopbackTransportTest.Wiring();
                ReceivingPeer receiver = new ReceivingPeer(receiveFactory, List.of(), wiring.forReceiver(), r);
                SendingPeer sender = new SendingPeer(sendFactory, "push-" + p, List.of(), W, H, FPS,
                        wiring.forSender());
                wiring.receiver.set(receiver);
                wiring.sender.set(sender);
                receiver.setAnswer(sender.answer(receiver.createOffer()));
                if (!wiring.senderConnected.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("pair " + p + " did not connect");
                }
                senders.add(sender);
                receivers.add(receiver);
                received.add(r);
            }
            byte[] base = picture();
            byte[] frame = new byte[base.length];
            run("warm-up (repeat)", senders, received, base, frame, true, 3);
            run("warm-up (copy)", senders, received, base, frame, false, 3);
            System.out.printf(Locale.ROOT, "== %d pairs, %dx%d@%d, one unchanging picture, %d s per mode ==%n", pairs,
                    W, H, FPS, seconds);
            for (int round = 0; round < 2; round++) {
                run("copy (before: compose + new native frame)", senders, received, base, frame, false, seconds);
                run("repeat (now: the last native frame again)", senders, received, base, frame, true, seconds);
            }
        } finally {
            senders.forEach(SendingPeer::close);
            receivers.forEach(ReceivingPeer::close);
            PeerFactories.dispose(sendFactory);
            PeerFactories.dispose(receiveFactory);
        }
        System.exit(0); // webrtc's native threads are not daemons
    }

    private static void run(String mode, List<SendingPeer> senders, List<LoopbackTransportTest.Received> received,
                            byte[] base, byte[] frame, boolean repeat, int seconds) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int frames0 = received.stream().mapToInt(r -> r.frames.size()).sum();
        long enc0 = encoderTicks();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long next = start;
        int pushed = 0;
        boolean first = true;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
            for (SendingPeer s : senders) {
                if (repeat && !first) {
                    s.repeatVideo(frame, W, H);
                } else {
                    System.arraycopy(base, 0, frame, 0, frame.length); // what composing the held frame copied
                    s.pushVideo(frame, W, H);
                }
                pushed++;
            }
            first = false;
            next += TimeUnit.SECONDS.toNanos(1) / FPS;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        double wall = (System.nanoTime() - start) / 1e9;
        Thread.sleep(200);
        long enc = encoderTicks() - enc0;
        int decoded = received.stream().mapToInt(r -> r.frames.size()).sum() - frames0;
        int n = senders.size();
        System.out.printf(Locale.ROOT, "%-44s push thread %6.1f us CPU per frame (%.3f %% of a core per session); "
                        + "encoder threads %.2f %% of a core per session; receivers decoded %.1f fps per session%n",
                mode, cpu / 1e3 / pushed, 100.0 * cpu / 1e9 / wall / n, 100.0 * enc / 100.0 / wall / n,
                decoded / wall / n);
    }

    /** utime + stime ticks of this process's libwebrtc video encoder threads. */
    private static long encoderTicks() throws Exception {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("EncoderQueue")) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return sum;
    }

    /** A face-like picture: smooth gradients and a few edges, so the encoder has something to keep. */
    private static byte[] picture() {
        byte[] f = new byte[W * H * 3 / 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = 60 + (x * 120 / W) + (y * 60 / H) + (((x / 32) + (y / 32)) % 2 == 0 ? 10 : 0);
                f[y * W + x] = (byte) Math.min(255, v);
            }
        }
        for (int i = W * H; i < f.length; i++) {
            f[i] = (byte) (128 + (i % W) / 16);
        }
        return f;
    }
}
