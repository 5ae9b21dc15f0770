package io.facecast.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import javax.imageio.ImageIO;

/**
 * Benchmark (not a test): what a sending peer's encoder costs and what picture it delivers, for one codec and bitrate
 * setting. N sender/receiver pairs in this JVM over loopback, 512x512 at 30 fps, pushed from one thread at their due
 * times as the streamer does. Content is the avatar case: a still face (a PNG of the avatar, or a synthetic face)
 * with a mouth region that changes every 3 frames (visemes at 10/s) and a blink every 4 s. Each sent frame carries its
 * index (mod 256) in 8 black/white 16x16 blocks in the top-left corner, so the receiver matches each decoded frame
 * to the frame sent and computes its PSNR (Y plane, below the code row).
 *
 * <p>Reports CPU time (utime+stime) per thread group of this process over the measured window: the encoder's
 * threads belong to the sending side (grouped by name, see the output), plus the sender's libwebrtc totals (encode
 * time, bytes sent, quality limitation).
 *
 * <pre>
 * scripts/encoder-cost.sh --sessions 4 --seconds 20 --codec VP8 --max-bitrate 2500000 [--image avatar.png]
 * </pre>
 */
public final class EncoderCostBenchmark {
    private static final int W = 512;
    private static final int H = 512;
    private static final int FPS = 30;
    private static final int CODE_BLOCK = 16;

    public static void main(String[] args) throws Exception {
        int sessions = 4;
        int seconds = 20;
        int warmup = 5;
        String codec = "VP8";
        int maxBitrate = SenderOptions.DEFAULT_MAX_VIDEO_BITRATE;
        int minBitrate = SenderOptions.DEFAULT_MIN_VIDEO_BITRATE;
        Path image = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--codec" -> codec = args[++i];
                case "--max-bitrate" -> maxBitrate = Integer.parseInt(args[++i]);
                case "--min-bitrate" -> minBitrate = Integer.parseInt(args[++i]);
                case "--image" -> image = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: [--sessions N] [--seconds T] [--warmup S] "
                        + "[--codec VP8|H264|VP9|AV1] [--max-bitrate BPS] [--min-bitrate BPS] [--image PNG]");
            }
        }
        byte[] base = image != null ? fromImage(image) : syntheticFace();
        SenderOptions options = SenderOptions.defaults().withVideoCodec(codec)
                .withVideoBitrate(Math.min(minBitrate, maxBitrate), maxBitrate);
        PeerConnectionFactory sendFactory = PeerFactories.forSending();
        PeerConnectionFactory receiveFactory = PeerFactories.forReceiving();
        List<Pair> pairs = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                pairs.add(Pair.connect(sendFactory, receiveFactory, "s" + i, options));
            }
            byte[][] sent = new byte[256][];
            for (Pair p : pairs) {
                p.sent = sent;
            }
            byte[] frame = new byte[base.length];
            byte[] silence = new byte[960];
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            Map<String, long[]> t0 = null;
            SenderStats[] s0 = new SenderStats[sessions];
            long k = 0;
            long chunk = 0;
            while (true) {
                long now = System.nanoTime();
                if (t0 == null && now >= measureFrom) {
                    t0 = threads();
                    for (int i = 0; i < sessions; i++) {
                        s0[i] = pairs.get(i).sender.stats();
                        pairs.get(i).measuring = true;
                    }
                }
                if (now >= end) {
                    break;
                }
                long videoDue = start + k * 1_000_000_000L / FPS;
                long audioDue = start + chunk * 10_000_000L;
                if (now >= videoDue) {
                    compose(base, frame, k);
                    sent[(int) (k & 255)] = frame.clone();
                    for (Pair p : pairs) {
                        p.sender.pushVideo(frame, W, H);
                    }
                    k++;
                } else if (now >= audioDue) {
                    for (Pair p : pairs) {
                        p.sender.pushAudio(silence, 48000, 1);
                    }
                    chunk++;
                } else {
                    TimeUnit.NANOSECONDS.sleep(Math.min(videoDue, audioDue) - now);
                }
            }
            Map<String, long[]> t1 = threads();
            double elapsed = seconds;
            System.out.printf(Locale.ROOT, "== encoder cost: %d pair(s), %s, max %d bps, min %d bps, %d s measured, "
                    + "content %s ==%n", sessions, codec, maxBitrate, minBitrate, seconds,
                    image != null ? image : "synthetic face");
            double kbps = 0;
            double encodeMs = 0;
            long frames = 0;
            String limitation = "";
            for (int i = 0; i < sessions; i++) {
                SenderStats s1 = pairs.get(i).sender.stats();
                kbps += (s1.videoBytesSent() - s0[i].videoBytesSent()) * 8 / elapsed / 1000;
                encodeMs += (s1.videoTotalEncodeSeconds() - s0[i].videoTotalEncodeSeconds()) * 1000;
                frames += s1.videoFramesEncoded() - s0[i].videoFramesEncoded();
                limitation += s1.qualityLimitationReason() + " ";
            }
            double psnr = 0;
            double minPsnr = Double.MAX_VALUE;
            long matched = 0;
            long other = 0;
            long decoded = 0;
            for (Pair p : pairs) {
                psnr += p.psnrSum.sum();
                matched += p.matched.get();
                other += p.otherSize.get();
                decoded += p.decoded.get();
                minPsnr = Math.min(minPsnr, p.minPsnr);
            }
            System.out.printf(Locale.ROOT, "per session: %.0f kbps, encoder %.2f ms/frame (libwebrtc totalEncodeTime), "
                    + "%.1f fps encoded; quality limitation: %s%n", kbps / sessions, encodeMs / Math.max(1, frames),
                    frames / elapsed / sessions, limitation.trim());
            System.out.printf(Locale.ROOT, "picture: PSNR(Y) mean %.2f dB, min %.2f dB over %d matched frames "
                    + "(%d decoded at another size, %d decoded in all)%n", psnr / Math.max(1, matched),
                    matched == 0 ? Double.NaN : minPsnr, matched, other, decoded);
            printThreads(t0, t1, elapsed, sessions);
        } finally {
            for (Pair p : pairs) {
                p.close();
            }
            PeerFactories.dispose(sendFactory);
            PeerFactories.dispose(receiveFactory);
        }
    }

    /** The base frame, the mouth region's viseme for frame k (changes every 3 frames), a blink, the index code. */
    static void compose(byte[] base, byte[] frame, long k) {
        System.arraycopy(base, 0, frame, 0, base.length);
        int viseme = (int) ((k / 3) * 7919 % 9);
        int mx = 196, my = 340, mw = 120, mh = 56;
        int open = viseme * mh / 10;
        for (int y = my + (mh - open) / 2; y < my + (mh + open) / 2; y++) {
            for (int x = mx; x < mx + mw; x++) {
                frame[y * W + x] = (byte) (40 + (x - mx) % 7);
            }
        }
        if (k % (4 * FPS) < 4) {
            for (int y = 200; y < 214; y++) {
                for (int x = 150; x < 362; x++) {
                    frame[y * W + x] = (byte) 90;
                }
            }
        }
        int code = (int) (k & 255);
        for (int b = 0; b < 8; b++) {
            byte v = (byte) (((code >> b) & 1) != 0 ? 235 : 16);
            for (int y = 0; y < CODE_BLOCK; y++) {
                for (int x = b * CODE_BLOCK; x < (b + 1) * CODE_BLOCK; x++) {
                    frame[y * W + x] = v;
                }
            }
        }
    }

    static int readCode(byte[] i420, int width) {
        int code = 0;
        for (int b = 0; b < 8; b++) {
            long sum = 0;
            for (int y = 4; y < CODE_BLOCK - 4; y++) {
                for (int x = b * CODE_BLOCK + 4; x < (b + 1) * CODE_BLOCK - 4; x++) {
                    sum += i420[y * width + x] & 0xff;
                }
            }
            if (sum / 64 > 128) {
                code |= 1 << b;
            }
        }
        return code;
    }

    /** PSNR of the Y plane below the code row. */
    static double psnrY(byte[] a, byte[] b) {
        double se = 0;
        for (int i = CODE_BLOCK * W; i < W * H; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        double mse = se / (W * (H - CODE_BLOCK));
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    static byte[] fromImage(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null) {
            throw new IOException(png + " is not an image ImageIO reads");
        }
        byte[] out = new byte[W * H * 3 / 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int rgb = img.getRGB(x * img.getWidth() / W, y * img.getHeight() / H);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, bl = rgb & 0xff;
                out[y * W + x] = (byte) ((66 * r + 129 * g + 25 * bl + 128 >> 8) + 16);
                if ((x & 1) == 0 && (y & 1) == 0) {
                    int ci = (y / 2) * (W / 2) + x / 2;
                    out[W * H + ci] = (byte) ((-38 * r - 74 * g + 112 * bl + 128 >> 8) + 128);
                    out[W * H + W * H / 4 + ci] = (byte) ((112 * r - 94 * g - 18 * bl + 128 >> 8) + 128);
                }
            }
        }
        return out;
    }

    /** A face-like still: shaded background, an oval with texture, eyes. */
    static byte[] syntheticFace() {
        byte[] out = new byte[W * H * 3 / 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double dx = (x - 256) / 170.0, dy = (y - 270) / 220.0;
                int v;
                if (dx * dx + dy * dy < 1) {
                    v = 150 + (int) (30 * Math.sin(x / 9.0) * Math.cos(y / 11.0)) + ((x * 31 + y * 17) % 5);
                } else {
                    v = 60 + y / 8 + ((x ^ y) & 3);
                }
                out[y * W + x] = (byte) v;
            }
        }
        for (int i = W * H; i < out.length; i++) {
            out[i] = (byte) (i < W * H * 5 / 4 ? 118 : 140);
        }
        for (int[] eye : new int[][]{{190, 205}, {322, 205}}) {
            for (int y = eye[1] - 10; y < eye[1] + 10; y++) {
                for (int x = eye[0] - 18; x < eye[0] + 18; x++) {
                    out[y * W + x] = (byte) 30;
                }
            }
        }
        return out;
    }

    /** Per thread group (name, digits folded): {utime+stime ticks, threads}. */
    static Map<String, long[]> threads() throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long[] v = out.computeIfAbsent(name, x -> new long[2]);
                v[0] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                v[1]++;
            }
        }
        return out;
    }

    private static void printThreads(Map<String, long[]> t0, Map<String, long[]> t1, double elapsed, int sessions) {
        System.out.println("threads of this JVM (senders and receivers), % of one core over the window:");
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(t1.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0] - t0.getOrDefault(b.getKey(), new long[2])[0],
                a.getValue()[0] - t0.getOrDefault(a.getKey(), new long[2])[0]));
        for (var r : rows) {
            long ticks = r.getValue()[0] - t0.getOrDefault(r.getKey(), new long[2])[0];
            if (ticks > 0) {
                System.out.printf(Locale.ROOT, "  %-24s x%-3d %6.2f %%  (%.2f %% per session)%n", r.getKey(),
                        r.getValue()[1], ticks / elapsed, ticks / elapsed / sessions);
            }
        }
    }

    /** One sender and its receiver, wired over loopback; the receiver scores each frame it decodes. */
    static final class Pair implements MediaListener, AutoCloseable {
        final LoopbackTransportTest.Wiring wiring = new LoopbackTransportTest.Wiring();
        SendingPeer sender;
        ReceivingPeer receiver;
        volatile byte[][] sent;
        volatile boolean measuring;
        final DoubleAdder psnrSum = new DoubleAdder();
        final AtomicLong matched = new AtomicLong();
        final AtomicLong otherSize = new AtomicLong();
        final AtomicLong decoded = new AtomicLong();
        volatile double minPsnr = Double.MAX_VALUE;

        static Pair connect(PeerConnectionFactory sendFactory, PeerConnectionFactory receiveFactory, String id,
                            SenderOptions options) throws Exception {
            Pair p = new Pair();
            p.receiver = new ReceivingPeer(receiveFactory, List.of(), p.wiring.forReceiver(), p);
            p.sender = new SendingPeer(sendFactory, id, List.of(), W, H, FPS, p.wiring.forSender(), options);
            p.wiring.receiver.set(p.receiver);
            p.wiring.sender.set(p.sender);
            p.receiver.setAnswer(p.sender.answer(p.receiver.createOffer()));
            if (!p.wiring.senderConnected.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException(id + " did not connect");
            }
            return p;
        }

        @Override
        public void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos) {
            if (!measuring) {
                return;
            }
            decoded.incrementAndGet();
            if (width != W || height != H) {
                otherSize.incrementAndGet();
                return;
            }
            byte[] ref = sent[readCode(i420, width)];
            if (ref != null) {
                double p = psnrY(ref, i420);
                psnrSum.add(p);
                matched.incrementAndGet();
                if (p < minPsnr) {
                    minPsnr = p;
                }
            }
        }

        @Override
        public void onAudio(byte[] pcm, int sampleRate, long arrivalNanos) {
        }

        @Override
        public void close() {
            if (sender != null) {
                sender.close();
            }
            if (receiver != null) {
                receiver.close();
            }
        }
    }
}
