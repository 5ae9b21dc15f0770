package io.facecast.renderer.bench;

import com.sun.net.httpserver.HttpServer;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.SegmentObserver;
import io.facecast.renderer.tts.FreeTtsSynthesizer;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.SpeechSynthesizer;
import io.facecast.renderer.tts.VoiceRouter;
import io.facecast.renderer.tts.espeak.EspeakSynthesizer;
import io.facecast.renderer.tts.http.HttpSpeechSynthesizer;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * speak -> first VIDEO record on a real queue for each TTS backend, on one render thread, for a 20-word sentence:
 * FreeTTS ("default"), espeak-ng ("espeak:en-us", if installed) and the HTTP backend against a stand-in endpoint on
 * 127.0.0.1 that answers at once with a prepared WAV (so the figure is the backend's own cost: HTTP round trip, WAV
 * decode, audio-driven mouth; a real endpoint adds its synthesis time). Run with the Chronicle JVM flags.
 */
public final class VoiceBenchmark {
    static final String TWENTY_WORDS =
            "The quick brown fox jumps over the lazy dog while a small crowd of curious people watches the show today.";

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        int runs = Integer.parseInt(args.length > 0 ? args[0] : "10");
        FreeTtsSynthesizer freetts = new FreeTtsSynthesizer(1);
        Optional<EspeakSynthesizer> espeak = EspeakSynthesizer.installed();
        Speech served = espeak.isPresent() ? espeak.get().synthesize(TWENTY_WORDS, "en-us") : freetts.synthesize(TWENTY_WORDS, "default");
        byte[] wav = streamedWav(served);
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/v1/audio/speech", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "audio/wav");
            ex.sendResponseHeaders(200, wav.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(wav);
            }
        });
        endpoint.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/v1/audio/speech");
            VoiceRouter router = new VoiceRouter(freetts, espeak,
                    Optional.of(new HttpSpeechSynthesizer(uri, "bench-key", null, Duration.ofSeconds(10))));
            List<String> voices = new ArrayList<>(List.of("default"));
            espeak.ifPresent(e -> voices.add("espeak:en-us"));
            voices.add("http:alloy");
            for (String voice : voices) {
                measure(router, voice, runs);
            }
        } finally {
            endpoint.stop(0);
        }
    }

    /** Speak -> first VIDEO and -> SEGMENT_END on a real bus for a 20-word sentence; prints median and max. */
    static void measure(SpeechSynthesizer tts, String voice, int runs) throws Exception {
        Path dir = Files.createTempDirectory("renderer-bench-voice");
        ExecutorService pool = Executors.newFixedThreadPool(1);
        LinkedBlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
        try (BusTailer tailer = BusTailer.ofSession(dir, "bench"); BusAppenders buses = new BusAppenders()) {
            RenderSessions sessions = new RenderSessions(tts, AvatarRegistry.builtIn(), buses, pool, (s, u, o) -> done.add(o));
            sessions.open("bench", "", voice, MediaSpec.getDefaultInstance(), dir.toString());
            double[] firstMs = new double[runs], wholeMs = new double[runs];
            long frames = 0;
            for (int i = 0; i <= runs; i++) {
                while (tailer.next() != null) { /* skip what is there */ }
                long t0 = System.nanoTime(), first = 0;
                sessions.speak("bench", i + 1, TWENTY_WORDS, false);
                while (true) {
                    BusMessage r = tailer.next();
                    if (r != null) {
                        if (r instanceof BusMessage.Video && first == 0) {
                            first = System.nanoTime();
                        }
                        if (r instanceof BusMessage.SegmentEnd e) {
                            frames = e.totalFrames();
                            break;
                        }
                    } else {
                        Thread.onSpinWait();
                    }
                }
                long end = System.nanoTime();
                SegmentObserver.Outcome o = done.take();
                if (o != SegmentObserver.Outcome.WRITTEN) {
                    throw new IllegalStateException(voice + ": utterance " + o);
                }
                if (i > 0) { // run 0 warms up
                    firstMs[i - 1] = (first - t0) / 1e6;
                    wholeMs[i - 1] = (end - t0) / 1e6;
                }
            }
            Arrays.sort(firstMs);
            Arrays.sort(wholeMs);
            System.out.printf("voice %-13s 20 words (%.1f s of video): speak -> first VIDEO median %.1f ms (max %.1f),"
                            + " whole segment median %.1f ms, %d runs%n",
                    voice, frames / 30.0, firstMs[runs / 2], firstMs[runs - 1], wholeMs[runs / 2], runs);
            sessions.close();
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A WAV as streaming servers send it: RIFF and data sizes are placeholders. */
    private static byte[] streamedWav(Speech s) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * s.samples()).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(0x7FFFF024).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(s.sampleRate()).putInt(2 * s.sampleRate()).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(0x7FFFF000);
        for (short v : s.pcm()) {
            b.putShort(v);
        }
        return b.array();
    }
}
