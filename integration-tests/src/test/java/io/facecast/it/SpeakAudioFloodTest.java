package io.facecast.it;

import io.facecast.api.v1.AudioFormat;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.SpeakAudioRequest;
import io.facecast.api.v1.SpeakAudioStart;
import io.facecast.api.v1.SpeakResponse;
import io.facecast.client.BearerCredentials;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, "a 600 s SpeakAudio pushed as fast as possible keeps the renderer's heap bounded", on the real processes.
 * A client sends 600 s of 48 kHz PCM through signaling as fast as gRPC lets it (whenever its call is ready). The
 * renderer renders at most its look-ahead (1.5 s) ahead of what the streamer played, and its intake buffers at most
 * 5 s of audio, so end-to-end flow control must hold the client back: within the first {@link #HELD_SECONDS} it can
 * have sent no more than the time elapsed plus the look-ahead, the intake cap and what the HTTP/2 windows of two hops
 * hold ({@link #SLACK_AUDIO_SECONDS}), never the whole 600 s. Meanwhile the renderer runs with {@code -Xmx}
 * {@value #RENDERER_XMX_MB} MiB (600 s decoded at the bus rate alone are 55 MiB, so an unbounded buffer would fail
 * the run) and its live heap, measured after a full GC, stays under {@value #RENDERER_LIVE_HEAP_MB} MiB; signaling's
 * under {@value #SIGNALING_LIVE_HEAP_MB} MiB. Then an Interrupt discards the rest, the client pushes the remaining
 * audio at full speed, the call ends normally and the session speaks on.
 */
class SpeakAudioFloodTest {
    private static final int RATE = 48_000;
    private static final int CHUNK_MS = 100;
    private static final int CHUNK_BYTES = RATE * CHUNK_MS / 1000 * 2;
    private static final int TOTAL_SECONDS = 600;
    private static final int TOTAL_CHUNKS = TOTAL_SECONDS * 1000 / CHUNK_MS;
    static final int HELD_SECONDS = 12;
    /** Look-ahead 1.5 s (4 s when measured) + intake 5 s + two HTTP/2 stream windows (1 MiB each, ~11 s at 96 KB/s) + a chunk each, + margin (measured: 26.6 s). */
    static final int SLACK_AUDIO_SECONDS = 40;
    static final int RENDERER_XMX_MB = 128;
    static final int RENDERER_LIVE_HEAP_MB = 64;
    static final int SIGNALING_LIVE_HEAP_MB = 48;

    @Test
    void sixHundredSecondsPushedAsFastAsPossibleAreHeldToTheRenderersPaceWithBoundedHeaps() throws Exception {
        try (LocalStack stack = LocalStack.start("speak-audio-flood", 1, 2, Duration.ofSeconds(5),
                List.of("--http-port", "0"), List.of(), List.of(), List.of("-Xmx" + RENDERER_XMX_MB + "m",
                        // after renderer/jvm.options, whose fixed 288 MiB heap and 128 MiB young generation they replace
                        "-Xms" + RENDERER_XMX_MB + "m", "-Xmn" + RENDERER_XMX_MB / 3 + "m"));
             FacecastClient client = stack.client();
             ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), new Recording(0))) {
            assertTrue(session.awaitConnected(Duration.ofSeconds(20)), stack.logs());
            String rendererMetrics = Scrape.opsUrl(stack.renderer) + "metrics";
            String signalingMetrics = BrowserSupport.pageUrl(stack) + "metrics";
            double rendererBefore = liveHeapMiB(stack.renderer, rendererMetrics);
            double signalingBefore = liveHeapMiB(stack.signaling, signalingMetrics);
            double rendererMax = rendererBefore;
            double signalingMax = signalingBefore;

            ManagedChannel channel = NettyChannelBuilder.forTarget(stack.signalingTarget).usePlaintext().build();
            try {
                Flood flood = new Flood();
                long t0 = System.nanoTime();
                FacecastGrpc.newStub(channel).withCallCredentials(new BearerCredentials(stack.apiKey))
                        .withDeadlineAfter(5, TimeUnit.MINUTES)
                        .speakAudio(flood.observer(session.sessionId()));
                double heldSent = 0;
                double heldElapsed = 0;
                while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(HELD_SECONDS)) {
                    Thread.sleep(1000); // sampling the processes while they work: nothing to inject a clock into
                    heldElapsed = (System.nanoTime() - t0) / 1e9;
                    heldSent = flood.sentSeconds();
                    assertTrue(!flood.result.isDone(), "the upload ended early: " + flood.result.getNow(null) + "\n" + stack.logs());
                    assertTrue(heldSent <= heldElapsed + SLACK_AUDIO_SECONDS, String.format(
                            "not held back: %.1f s of audio sent after %.1f s\n%s", heldSent, heldElapsed, stack.logs()));
                    rendererMax = Math.max(rendererMax, liveHeapMiB(stack.renderer, rendererMetrics));
                    signalingMax = Math.max(signalingMax, liveHeapMiB(stack.signaling, signalingMetrics));
                }
                System.out.printf("[figures] flood held: %.1f s of audio sent in %.1f s (renderer pace + at most %d s slack)%n",
                        heldSent, heldElapsed, SLACK_AUDIO_SECONDS);

                // The rest is discarded by an Interrupt: the client pushes what is left at full speed.
                client.interrupt(session.sessionId());
                long interrupted = System.nanoTime();
                Object answer = flood.result.get(60, TimeUnit.SECONDS);
                assertTrue(answer instanceof SpeakResponse, answer + "\n" + stack.logs());
                assertEquals(TOTAL_CHUNKS, flood.sent.get(), "all 600 s were sent");
                System.out.printf("[figures] flood rest: %.1f s of audio pushed in %.1f s after the Interrupt%n",
                        TOTAL_SECONDS - heldSent, (System.nanoTime() - interrupted) / 1e9);
            } finally {
                channel.shutdownNow();
            }
            rendererMax = Math.max(rendererMax, liveHeapMiB(stack.renderer, rendererMetrics));
            signalingMax = Math.max(signalingMax, liveHeapMiB(stack.signaling, signalingMetrics));
            System.out.printf("[figures] live heap after full GC: renderer %.1f MiB before, max %.1f MiB (bound %d, -Xmx%dm);"
                    + " signaling %.1f MiB before, max %.1f MiB (bound %d)%n", rendererBefore, rendererMax,
                    RENDERER_LIVE_HEAP_MB, RENDERER_XMX_MB, signalingBefore, signalingMax, SIGNALING_LIVE_HEAP_MB);
            assertTrue(stack.renderer.isAlive(), stack.logs());
            assertTrue(rendererMax < RENDERER_LIVE_HEAP_MB, "renderer live heap " + rendererMax + " MiB");
            assertTrue(signalingMax < SIGNALING_LIVE_HEAP_MB, "signaling live heap " + signalingMax + " MiB");
            assertTrue(!stack.renderer.tail().contains("OutOfMemoryError"), stack.logs());

            long id = session.speak("Still here.");
            assertTrue(session.awaitEvent(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == id,
                    Duration.ofSeconds(20)).isPresent(), stack.logs());
        }
    }

    /** Sends start, then chunk after chunk whenever the call is ready, until all are sent; then half-closes. */
    static final class Flood {
        final AtomicInteger sent = new AtomicInteger();
        final CompletableFuture<Object> result = new CompletableFuture<>();
        private final byte[] chunk = tone();
        private boolean started;
        private boolean closed;

        double sentSeconds() {
            return sent.get() * CHUNK_MS / 1000.0;
        }

        ClientResponseObserver<SpeakAudioRequest, SpeakResponse> observer(String sessionId) {
            return new ClientResponseObserver<>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<SpeakAudioRequest> up) {
                    up.setOnReadyHandler(() -> {
                        synchronized (Flood.this) {
                            if (!started) {
                                started = true;
                                up.onNext(SpeakAudioRequest.newBuilder().setStart(SpeakAudioStart.newBuilder()
                                        .setSessionId(sessionId).setText("flood")
                                        .setPcm(AudioFormat.newBuilder().setSampleRate(RATE).setChannels(1))).build());
                            }
                            while (up.isReady() && sent.get() < TOTAL_CHUNKS && !result.isDone()) {
                                up.onNext(SpeakAudioRequest.newBuilder()
                                        .setChunk(com.google.protobuf.ByteString.copyFrom(chunk)).build());
                                sent.incrementAndGet();
                            }
                            if (sent.get() == TOTAL_CHUNKS && !closed) {
                                closed = true;
                                up.onCompleted();
                            }
                        }
                    });
                }

                @Override public void onNext(SpeakResponse r) { result.complete(r); }
                @Override public void onError(Throwable t) { result.complete(t); }
                @Override public void onCompleted() {}
            };
        }

        /** 100 ms of a voiced sound (so the mouth moves and the renderer does real work). */
        private static byte[] tone() {
            byte[] out = new byte[CHUNK_BYTES];
            for (int i = 0; i < CHUNK_BYTES / 2; i++) {
                double t = (double) i / RATE;
                short s = (short) (6000 * Math.sin(2 * Math.PI * 140 * t) + 5000 * Math.sin(2 * Math.PI * 650 * t));
                out[2 * i] = (byte) s;
                out[2 * i + 1] = (byte) (s >> 8);
            }
            return out;
        }
    }

    /** Heap in use right after a full GC (jcmd GC.run), from the process's /metrics, in MiB. */
    static double liveHeapMiB(JvmProcess p, String metricsUrl) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(p.pid()), "GC.run").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS) && jcmd.exitValue() == 0, "jcmd GC.run: " + out);
        Scrape s = Scrape.of(metricsUrl);
        return s.samples.stream().filter(x -> x.name().equals("jvm_memory_used_bytes") && "heap".equals(x.labels().get("area")))
                .mapToDouble(Scrape.Sample::value).sum() / (1 << 20);
    }
}
