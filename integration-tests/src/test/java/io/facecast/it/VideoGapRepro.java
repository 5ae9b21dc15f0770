package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The smallest reproduction of the receiver's video gaps: the three real processes on loopback, one session received
 * by a webrtc-java peer in this JVM, a capture of loopback's UDP (dumpcap) meanwhile. Idle for SECONDS, one utterance,
 * 5 s more; writes {@code lo.pcap} and {@code frames.csv} (each decoded frame's sink arrival and libwebrtc render time)
 * for {@code tools/video-gaps/rtp_gaps.py}. Needs root (capture). Run through {@code tools/video-gaps/loopback.sh}.
 * <pre>VideoGapRepro [SECONDS] [OUT_DIR]</pre>
 */
public final class VideoGapRepro {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path out = Path.of(args.length > 1 ? args[1] : "target/it-logs/video-gaps").toAbsolutePath();
        Files.createDirectories(out);
        Path pcap = out.resolve("lo.pcap");
        WireCapture wire = WireCapture.start("lo", pcap);
        try (LocalStack stack = LocalStack.start("video-gaps", 1, 4, Duration.ofSeconds(30));
             FacecastClient client = stack.client()) {
            Recording rec = new Recording(0);
            List<long[]> frames = Collections.synchronizedList(new ArrayList<>());
            rec.addAnalyzer(f -> frames.add(new long[] {f.arrivalNanos(), f.renderNanos()}));
            ReceiverSession s = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), rec);
            s.awaitConnected(Duration.ofSeconds(20));
            Thread.sleep(seconds * 1000L);
            long u = s.speak(NodeDrainTest.LONG_TEXT);
            s.awaitEvent(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == u, Duration.ofSeconds(60));
            Thread.sleep(5000);
            System.out.println("[repro] stats " + s.stats());
            long offset = WireCapture.realtimeMinusMonotonicNanos();
            try (PrintWriter w = new PrintWriter(out.resolve("frames.csv").toFile())) {
                w.println("# realtime_minus_monotonic_ns " + offset);
                w.println("kind,arrival_ns,render_ns");
                synchronized (frames) {
                    for (long[] f : frames) {
                        w.println("v," + f[0] + "," + f[1]);
                    }
                }
                for (long t : rec.audioChunkArrivals()) {
                    w.println("a," + t + ",0");
                }
            }
            s.close();
        } finally {
            wire.close();
        }
        System.out.println("[repro] wrote " + out.resolve("lo.pcap") + " and " + out.resolve("frames.csv"));
        System.exit(0); // the receiving factory's native threads
    }
}
