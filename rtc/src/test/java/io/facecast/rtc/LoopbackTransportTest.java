package io.facecast.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.PeerConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real webrtc-java on both ends, over loopback: the transport test. Pacing here is real time on purpose: the
 * native layer stamps media with the time it is pushed.
 */
@Timeout(60)
class LoopbackTransportTest {
    private static final int W = 512;
    private static final int H = 512;
    private static final int FPS = 30;

    private static PeerConnectionFactory sendFactory;
    private static PeerConnectionFactory receiveFactory;

    @BeforeAll
    static void factories() {
        sendFactory = PeerFactories.forSending();
        receiveFactory = PeerFactories.forReceiving();
    }

    @AfterAll
    static void disposeFactories() {
        PeerFactories.dispose(sendFactory);
        PeerFactories.dispose(receiveFactory);
        PeerFactories.dispose(sendFactory); // second dispose is a no-op
    }

    /** What the receiver saw. */
    static final class Received implements MediaListener {
        final List<long[]> frames = new CopyOnWriteArrayList<>(); // {arrival, width, height, leftLuma, rightLuma}
        final List<long[]> audio = new CopyOnWriteArrayList<>(); // {arrival, rms, sampleRate}

        @Override
        public void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos) {
            long left = meanLuma(i420, width, width / 16, height / 16, width / 2 - width / 8, height - height / 8);
            long right = meanLuma(i420, width, width / 2 + width / 16, height / 16, width - width / 16,
                    height - height / 8);
            frames.add(new long[] {arrivalNanos, width, height, left, right});
        }

        @Override
        public void onAudio(byte[] pcm, int sampleRate, long arrivalNanos) {
            double sum = 0;
            int n = pcm.length / 2;
            for (int i = 0; i < n; i++) {
                short s = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
                sum += (double) s * s;
            }
            audio.add(new long[] {arrivalNanos, Math.round(Math.sqrt(sum / Math.max(1, n))), sampleRate});
        }

        static long meanLuma(byte[] i420, int stride, int x0, int y0, int x1, int y1) {
            long sum = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum += i420[y * stride + x] & 0xff;
                }
            }
            return sum / ((long) (x1 - x0) * (y1 - y0));
        }
    }

    /** Wires two peers' candidates to each other and records connection states. */
    static final class Wiring {
        final AtomicReference<ReceivingPeer> receiver = new AtomicReference<>();
        final AtomicReference<SendingPeer> sender = new AtomicReference<>();
        final CountDownLatch senderConnected = new CountDownLatch(1);
        final CountDownLatch receiverConnected = new CountDownLatch(1);
        final List<PeerState> senderStates = new CopyOnWriteArrayList<>();

        PeerListener forSender() {
            return new PeerListener() {
                @Override
                public void onLocalCandidate(String mid, int index, String candidate) {
                    try {
                        receiver.get().addRemoteCandidate(mid, index, candidate);
                    } catch (InvalidSdpException e) {
                        throw new AssertionError(e);
                    }
                }

                @Override
                public void onConnectionState(PeerState state) {
                    senderStates.add(state);
                    if (state == PeerState.CONNECTED) {
                        senderConnected.countDown();
                    }
                }
            };
        }

        PeerListener forReceiver() {
            return new PeerListener() {
                @Override
                public void onLocalCandidate(String mid, int index, String candidate) {
                    try {
                        sender.get().addRemoteCandidate(mid, index, candidate);
                    } catch (InvalidSdpException e) {
                        throw new AssertionError(e);
                    }
                }

                @Override
                public void onConnectionState(PeerState state) {
                    if (state == PeerState.CONNECTED) {
                        receiverConnected.countDown();
                    }
                }
            };
        }
    }

    @Test
    void senderStreamsVideoAndAudioThatTheReceiverDecodes() throws Exception {
        Received received = new Received();
        Wiring wiring = new Wiring();
        ReceivingPeer receiver = new ReceivingPeer(receiveFactory, List.of(), wiring.forReceiver(), received);
        SendingPeer sender = new SendingPeer(sendFactory, "session-1", List.of(), W, H, FPS, wiring.forSender());
        wiring.receiver.set(receiver);
        wiring.sender.set(sender);
        try {
            String offer = receiver.createOffer();
            assertTrue(offer.contains("a=recvonly"), offer);
            String answer = sender.answer(offer);
            assertTrue(answer.contains("a=sendonly"), answer);
            assertTrue(answer.contains("a=msid:session-1 "), "both tracks in the session's stream:\n" + answer);
            assertEquals("VP8", firstVideoCodec(answer), "VP8 preferred:\n" + answer);
            receiver.setAnswer(answer);

            assertTrue(wiring.senderConnected.await(10, TimeUnit.SECONDS), "sender connected");
            assertTrue(wiring.receiverConnected.await(10, TimeUnit.SECONDS), "receiver connected");

            byte[] frame = halfBrightHalfDark();
            byte[] tone = new byte[960];
            byte[] silence = new byte[960];
            long start = System.nanoTime();
            long toneEndNanos = start + TimeUnit.SECONDS.toNanos(1);
            long endNanos = start + TimeUnit.SECONDS.toNanos(4);
            long nextVideo = start;
            long nextAudio = start;
            int audioIndex = 0;
            int videoIndex = 0;
            boolean inverted = false;
            while (true) {
                long now = System.nanoTime();
                if (now >= endNanos) {
                    break;
                }
                if (now >= nextAudio) {
                    boolean inTone = nextAudio < toneEndNanos;
                    if (inTone) {
                        fillTone(tone, audioIndex);
                    }
                    assertTrue(sender.pushAudio(inTone ? tone : silence, 48000, 1));
                    audioIndex++;
                    nextAudio += TimeUnit.MILLISECONDS.toNanos(10);
                }
                if (now >= nextVideo) {
                    // From 2 s on the picture is inverted once, then only repeated: a repeat sends the native frame
                    // pushed last (the array passed along is the old picture here, and must not be what arrives).
                    if (now < start + TimeUnit.SECONDS.toNanos(2)) {
                        assertTrue(videoIndex % 2 == 0 ? sender.pushVideo(frame, W, H) : sender.repeatVideo(frame, W, H));
                    } else if (!inverted) {
                        assertTrue(sender.pushVideo(invert(frame), W, H));
                        inverted = true;
                    } else {
                        assertTrue(sender.repeatVideo(frame, W, H));
                    }
                    videoIndex++;
                    nextVideo += TimeUnit.SECONDS.toNanos(1) / FPS;
                }
                long sleep = Math.min(nextAudio, nextVideo) - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            SenderStats sent = sender.stats();
            ReceiverStats got = receiver.stats();
            // Let the last frames and the jitter buffer drain.
            Thread.sleep(300);

            List<long[]> fullSize = received.frames.stream().filter(f -> f[1] == W && f[2] == H).toList();
            assertTrue(fullSize.size() >= 80, "frames decoded at 512x512: " + fullSize.size()
                    + " of " + received.frames.size() + "; sent " + sent + "; received " + got);
            long[] last = fullSize.get(fullSize.size() - 1);
            assertTrue(last[3] < 60, "left half turned dark (the inverted frame, repeated), mean luma " + last[3]);
            assertTrue(last[4] > 180, "right half turned bright, mean luma " + last[4]);
            long[] early = fullSize.get(Math.min(30, fullSize.size() - 1));
            assertTrue(early[3] > 180 && early[4] < 60, "first the left half bright: " + early[3] + "/" + early[4]);
            assertTrue(got.videoFramesDecoded() >= 80, "stats: " + got);
            assertTrue(got.videoSsrc() > 0, "the inbound video stream's SSRC: " + got);
            assertTrue(sent.videoFramesSent() >= 80 && sent.videoBytesSent() > 0, "stats: " + sent);

            assertFalse(received.audio.isEmpty(), "audio arrived; sent " + sent + "; received " + got);
            assertEquals(48000, received.audio.get(0)[2]);
            List<long[]> loud = received.audio.stream().filter(a -> a[1] > 2000).toList();
            double loudSeconds = loud.size() / 100.0;
            assertTrue(loudSeconds > 0.6 && loudSeconds < 1.5, "about 1 s of tone received: " + loudSeconds + " s");
            // Well after the tone (allowing for jitter-buffer delay), the audio is near silence.
            long quietFrom = start + TimeUnit.MILLISECONDS.toNanos(2500);
            List<long[]> late = received.audio.stream().filter(a -> a[0] > quietFrom).toList();
            assertTrue(late.size() > 50, "audio keeps arriving after the tone: " + late.size());
            long lateMax = late.stream().mapToLong(a -> a[1]).max().orElseThrow();
            assertTrue(lateMax < 300, "near silence after the tone, max rms " + lateMax);
        } finally {
            sender.close();
            receiver.close();
        }
        assertTrue(sender.isClosed());
        assertFalse(sender.pushVideo(halfBrightHalfDark(), W, H), "push after close is dropped");
        assertFalse(sender.pushAudio(new byte[960], 48000, 1));
        sender.close(); // second close is harmless
        receiver.close();
        assertThrows(IllegalStateException.class, sender::stats);
    }

    /**
     * The Opus parameters of {@link SenderOptions#opusParams()} reach libwebrtc's encoder: the same noise, sent for
     * the same time, takes far fewer bytes with maxaveragebitrate=12000 than with the offer as it is (32 kbit/s).
     */
    @Test
    void opusParametersSetOnTheOfferReachTheEncoder() throws Exception {
        long plain = audioBytesOfNoise(SenderOptions.defaults());
        long capped = audioBytesOfNoise(SenderOptions.defaults().withOpusParams(OpusFmtp.parse("maxaveragebitrate=12000")));
        assertTrue(plain > 0 && capped < plain * 0.6, "audio bytes in 2 s: offer as is " + plain + ", capped " + capped);
    }

    private static long audioBytesOfNoise(SenderOptions options) throws Exception {
        Wiring wiring = new Wiring();
        ReceivingPeer receiver = new ReceivingPeer(receiveFactory, List.of(), wiring.forReceiver(), new Received());
        SendingPeer sender = new SendingPeer(sendFactory, "opus", List.of(), W, H, FPS, wiring.forSender(), options);
        wiring.receiver.set(receiver);
        wiring.sender.set(sender);
        try {
            receiver.setAnswer(sender.answer(receiver.createOffer()));
            assertTrue(wiring.senderConnected.await(10, TimeUnit.SECONDS), "sender connected");
            java.util.Random random = new java.util.Random(7);
            byte[] chunk = new byte[960];
            long before = sender.stats().audioBytesSent();
            long next = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                random.nextBytes(chunk);
                for (int j = 1; j < chunk.length; j += 2) {
                    chunk[j] >>= 2; // loud noise, not full scale
                }
                assertTrue(sender.pushAudio(chunk, 48000, 1));
                next += TimeUnit.MILLISECONDS.toNanos(10);
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            Thread.sleep(100);
            return sender.stats().audioBytesSent() - before;
        } finally {
            sender.close();
            receiver.close();
        }
    }

    @Test
    void malformedOffersAreRejectedWithClearMessagesAndThePeerStaysUsable() throws Exception {
        Wiring wiring = new Wiring();
        SendingPeer sender = new SendingPeer(sendFactory, "session-2", List.of(), W, H, FPS, wiring.forSender());
        ReceivingPeer receiver = new ReceivingPeer(receiveFactory, List.of(), wiring.forReceiver(), new Received());
        wiring.sender.set(sender);
        wiring.receiver.set(receiver);
        try {
            InvalidSdpException notSdp = assertThrows(InvalidSdpException.class, () -> sender.answer("{\"sdp\":1}"));
            assertTrue(notSdp.getMessage().contains("v=0"), notSdp.getMessage());

            InvalidSdpException empty = assertThrows(InvalidSdpException.class, () -> sender.answer(""));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());

            String offer = receiver.createOffer();
            String audioOnly = offer.substring(0, offer.indexOf("m=video"));
            InvalidSdpException noVideo = assertThrows(InvalidSdpException.class, () -> sender.answer(audioOnly));
            assertTrue(noVideo.getMessage().contains("m=video"), noVideo.getMessage());

            String broken = "v=0\r\nthis is not sdp\r\nm=audio x\r\nm=video y\r\n";
            InvalidSdpException nativeRejects = assertThrows(InvalidSdpException.class, () -> sender.answer(broken));
            assertTrue(nativeRejects.getMessage().startsWith("SDP offer rejected"), nativeRejects.getMessage());

            InvalidSdpException badCandidate = assertThrows(InvalidSdpException.class,
                    () -> sender.addRemoteCandidate("0", 0, "not a candidate"));
            assertTrue(badCandidate.getMessage().contains("candidate:"), badCandidate.getMessage());

            // After all that, a good offer still negotiates and connects.
            receiver.setAnswer(sender.answer(offer));
            assertTrue(wiring.senderConnected.await(10, TimeUnit.SECONDS), "connected after bad offers");
            assertThrows(IllegalStateException.class, () -> sender.answer(offer), "one negotiation per peer");
        } finally {
            sender.close();
            receiver.close();
        }
        assertThrows(IllegalStateException.class, () -> sender.answer("v=0"));
    }

    @Test
    void closeWhileAnotherThreadPushesIsSafe() throws Exception {
        Wiring wiring = new Wiring();
        ReceivingPeer receiver = new ReceivingPeer(receiveFactory, List.of(), wiring.forReceiver(), new Received());
        SendingPeer sender = new SendingPeer(sendFactory, "session-4", List.of(), W, H, FPS, wiring.forSender());
        wiring.receiver.set(receiver);
        wiring.sender.set(sender);
        try {
            receiver.setAnswer(sender.answer(receiver.createOffer()));
            assertTrue(wiring.senderConnected.await(10, TimeUnit.SECONDS), "connected");
            byte[] frame = halfBrightHalfDark();
            byte[] chunk = new byte[960];
            CountDownLatch pushing = new CountDownLatch(20);
            java.util.concurrent.atomic.AtomicInteger pushed = new java.util.concurrent.atomic.AtomicInteger();
            Thread pusher = new Thread(() -> {
                // Unpaced on purpose: maximal overlap between pushes and close().
                while (sender.pushAudio(chunk, 48000, 1) && sender.pushVideo(frame, W, H)) {
                    pushed.incrementAndGet();
                    pushing.countDown();
                }
            });
            pusher.start();
            assertTrue(pushing.await(10, TimeUnit.SECONDS));
            sender.close();
            pusher.join(5000);
            assertFalse(pusher.isAlive(), "pusher saw the close and stopped");
            assertTrue(wiring.senderStates.contains(PeerState.CONNECTED));
        } finally {
            sender.close();
            receiver.close();
        }
    }

    @Test
    void audioChunksMustBeExactlyTenMilliseconds() {
        SendingPeer sender = new SendingPeer(sendFactory, "session-3", List.of(), W, H, FPS, PeerListener.NONE);
        try {
            IllegalArgumentException twenty = assertThrows(IllegalArgumentException.class,
                    () -> sender.pushAudio(new byte[1920], 48000, 1));
            assertTrue(twenty.getMessage().contains("10 ms"), twenty.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sender.pushAudio(new byte[1000], 48000, 1));
            assertThrows(IllegalArgumentException.class, () -> sender.pushAudio(new byte[960], 48000, 2));
            assertTrue(sender.pushAudio(new byte[480], 24000, 1));
            assertThrows(IllegalArgumentException.class, () -> sender.pushVideo(new byte[10], W, H));
        } finally {
            sender.close();
        }
    }

    static String firstVideoCodec(String sdp) {
        String mline = sdp.lines().filter(l -> l.startsWith("m=video")).findFirst().orElseThrow();
        String payload = mline.split(" ")[3];
        return sdp.lines().filter(l -> l.startsWith("a=rtpmap:" + payload + " ")).findFirst().orElseThrow()
                .split(" ")[1].split("/")[0];
    }

    private static byte[] halfBrightHalfDark() {
        byte[] frame = new byte[W * H * 3 / 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                frame[y * W + x] = (byte) (x < W / 2 ? 235 : 16);
            }
        }
        java.util.Arrays.fill(frame, W * H, frame.length, (byte) 128);
        return frame;
    }

    private static byte[] invert(byte[] i420) {
        byte[] out = i420.clone();
        for (int i = 0; i < W * H; i++) {
            out[i] = (byte) (255 - (out[i] & 0xff));
        }
        return out;
    }

    private static void fillTone(byte[] chunk, int chunkIndex) {
        for (int i = 0; i < 480; i++) {
            double t = (chunkIndex * 480 + i) / 48000.0;
            short s = (short) (Math.sin(2 * Math.PI * 440 * t) * 12000);
            chunk[2 * i] = (byte) s;
            chunk[2 * i + 1] = (byte) (s >> 8);
        }
    }
}
