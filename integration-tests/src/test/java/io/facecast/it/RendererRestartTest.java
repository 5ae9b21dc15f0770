package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9: a renderer killed alone (SIGKILL) while a client watches. The streamer keeps sending idle video and
 * silence (gaps measured at the receiver); the renderer restarts on the same port; OpenSession again for the live
 * session (what signaling does once its re-open is merged; here the test calls it with signaling's certificate)
 * answers the highest utterance id already on the queue, and Speak through the public API works on the same session.
 */
class RendererRestartTest {
    @Test
    void aKilledRendererRestartsAndSpeechWorksAgainOnTheSameSession() throws Exception {
        try (LocalStack stack = LocalStack.start("renderer-restart", 1, 4, Duration.ofSeconds(30));
             FacecastClient client = stack.client()) {
            Recording recording = new Recording(0);
            ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording);
            JvmProcess restarted = null;
            WireCapture wire = wireCaptureIfPossible();
            try {
                assertTrue(session.awaitConnected(Duration.ofSeconds(20)), "peer connected:\n" + stack.logs());
                long u1 = session.speak("Hello before the renderer goes away.");
                session.awaitEvent(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == u1,
                        Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("first utterance:\n" + stack.logs()));

                long killAt = System.nanoTime();
                stack.renderer.kill();
                Thread.sleep(3000); // the renderer is down: the receiver keeps getting idle media meanwhile
                long windowEnd = System.nanoTime();
                double videoGap = NodeProbe.largestGapMillis(NodeProbe.videoArrivals(recording), killAt - 1_000_000_000L, windowEnd);
                double audioGap = NodeProbe.largestGapMillis(recording.audioChunkArrivals(), killAt - 1_000_000_000L, windowEnd);
                // For comparison, the same measure over the 3 s before (the renderer up, speech over, idle streaming).
                double videoGapBefore = NodeProbe.largestGapMillis(NodeProbe.videoArrivals(recording), killAt - 4_000_000_000L, killAt - 1_000_000_000L);
                long framesWhileDown = NodeProbe.videoArrivals(recording).stream().filter(t -> t >= killAt && t < windowEnd).count();
                // The same window on the wire (loopback), where the server's video is measured: see WireCapture.
                double wireGap = -1;
                if (wire != null) {
                    long ssrc = session.stats().videoSsrc();
                    wireGap = NodeProbe.largestGapMillis(wire.videoFrameArrivals(ssrc, windowEnd), killAt - 1_000_000_000L, windowEnd);
                    wire.close();
                }

                String port = stack.rendererTarget.substring(stack.rendererTarget.lastIndexOf(':') + 1);
                restarted = JvmProcess.start("renderer-restarted", "renderer", Path.of("target", "it-logs", "renderer-restart"),
                        List.of("--port", port, "--tls-dir", stack.tlsDir.toString(), "--bus-root", stack.busRoot.toString(),
                                "--ops-port", "0"));
                restarted.awaitListening(Duration.ofSeconds(60));
                JvmProcess second = restarted;

                // Signaling's renderer watch opens the session again on the restarted renderer and tells its clients.
                session.awaitEvent(e -> e.hasStateChanged()
                                && e.getStateChanged().getReason().startsWith("speech is available again"),
                        Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("speech back:\n" + stack.logs()));
                String log = Files.readString(restarted.log());
                assertTrue(log.contains("re-opened: its queue holds"), log);
                assertTrue(log.contains("utterances up to " + u1 + ";"), "the queue holds the first instance's utterance:\n" + log);
                // A second open of the same session is refused, not a second session on one queue.
                ManagedChannel toRenderer = FleetTls.load(stack.tlsDir, FleetRole.SIGNALING, "signaling")
                        .channel(stack.rendererTarget, FleetRole.RENDERER, "renderer");
                try {
                    StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> RendererControlGrpc
                            .newBlockingStub(toRenderer).withDeadlineAfter(15, TimeUnit.SECONDS)
                            .openSession(RendererOpenRequest.newBuilder().setSessionId(session.sessionId())
                                    .setBusPath(stack.busRoot.resolve("streamer-1").toAbsolutePath().toString()).build()));
                    assertEquals(Status.Code.ALREADY_EXISTS, again.getStatus().getCode(), again.getMessage());
                } finally {
                    toRenderer.shutdownNow();
                }

                // Signaling's channel to the renderer reconnects on its own (with back-off): retry while UNAVAILABLE.
                long u2 = speakWhenReachable(session, "Speech works again on the same session.");
                assertTrue(u2 > u1);
                session.awaitEvent(e -> e.hasSpeechStarted() && e.getSpeechStarted().getUtteranceId() == u2,
                        Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("speech after restart:\n"
                        + stack.logs() + "\n---- restarted\n" + second.tail()));
                session.awaitEvent(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == u2,
                        Duration.ofSeconds(30)).orElseThrow();

                assertFalse(Files.readString(restarted.log()).contains("deleted from under the queue"), restarted.tail());
                System.out.printf("renderer restart figures: while down (3 s) %d frames; largest gap from 1 s before the"
                        + " kill to 3 s after: video %s on the wire, %.0f ms between decoded frames, audio %.0f ms (10 ms"
                        + " chunks at the receiver); decoded video in the 3 s before that: %.0f ms%n", framesWhileDown,
                        wireGap < 0 ? "not measured (needs root and dumpcap)" : String.format("%.0f ms", wireGap),
                        videoGap, audioGap, videoGapBefore);
                if (wireGap >= 0) {
                    // Issue 9: no gap over 100 ms. Decoded frames are not the measure: the receiving library's lip-sync
                    // holds a frame up to 80 ms longer once a second (FleetNetnsTest.Media).
                    assertTrue(wireGap <= 100, "video kept flowing while the renderer was down: largest gap on the wire "
                            + wireGap + " ms");
                } else {
                    assertTrue(videoGap < 200, "video kept flowing while the renderer was down: largest gap " + videoGap + " ms");
                }
                assertTrue(audioGap < 200, "audio (silence) kept flowing: largest gap " + audioGap + " ms");
            } finally {
                if (wire != null) {
                    wire.close();
                }
                session.close();
                if (restarted != null) {
                    restarted.close();
                }
            }
        }
    }

    /** A capture of loopback's UDP where this JVM may make one (root, dumpcap installed), else null. */
    private static WireCapture wireCaptureIfPossible() throws InterruptedException {
        if (WireCapture.tool().isEmpty()) {
            return null;
        }
        try {
            Path dir = Path.of("target", "it-logs", "renderer-restart").toAbsolutePath();
            Files.createDirectories(dir);
            return WireCapture.start("lo", dir.resolve("lo-wire.pcap"));
        } catch (java.io.IOException e) {
            System.out.println("renderer restart: no wire capture (" + e.getMessage().lines().findFirst().orElse("")
                    + "); decoded frames only");
            return null;
        }
    }

    private static long speakWhenReachable(ReceiverSession session, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return session.speak(text);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250); // waiting for signaling's channel to reconnect: nothing to inject a clock into
            }
        }
    }
}
