package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.SessionRef;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.internal.v1.StreamerOpenRequest;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9's drain on the real processes: SIGTERM to a node's streamer and renderer while a client's session is
 * speaking. Readiness goes false and stays false, neither takes a new session, the utterance plays to its end, and
 * both exit 0 once the session is closed; a second SIGTERM skips the wait.
 */
class NodeDrainTest {
    static final String LONG_TEXT = "This sentence keeps the avatar talking for a few seconds, so that the drain"
            + " begins while it is still speaking, and it must be heard to the very end.";

    @Test
    void sigtermDrainsTheNodeWhileItsSessionSpeaksToTheEnd() throws Exception {
        try (LocalStack stack = LocalStack.start("node-drain", 1, 4, Duration.ofSeconds(30), List.of("--http-port", "0"),
                List.of("--drain-timeout", "2m"), List.of("--drain-timeout", "2m"));
             FacecastClient client = stack.client()) {
            JvmProcess streamer = stack.streamers.get(0);
            String streamerOps = NodeProbe.opsUrl(streamer);
            String rendererOps = NodeProbe.opsUrl(stack.renderer);
            assertEquals(200, NodeProbe.status(streamerOps + "readyz"), "a registered streamer is ready");
            assertEquals(200, NodeProbe.status(rendererOps + "readyz"));

            Recording recording = new Recording(0);
            ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording);
            assertTrue(session.awaitConnected(Duration.ofSeconds(20)), "peer connected:\n" + stack.logs());
            long u = session.speak(LONG_TEXT);
            session.awaitEvent(e -> e.hasSpeechStarted() && e.getSpeechStarted().getUtteranceId() == u,
                    Duration.ofSeconds(20)).orElseThrow(() -> new AssertionError("speech started:\n" + stack.logs()));

            long term = System.nanoTime();
            try (NodeProbe.ReadinessWatch streamerReady = new NodeProbe.ReadinessWatch(streamerOps);
                 NodeProbe.ReadinessWatch rendererReady = new NodeProbe.ReadinessWatch(rendererOps)) {
                streamer.terminate();
                stack.renderer.terminate();

                FleetTls asSignaling = FleetTls.load(stack.tlsDir, FleetRole.SIGNALING, "signaling");
                ManagedChannel toStreamer = asSignaling.channel(stack.streamerControl.get(0), FleetRole.STREAMER, "streamer-1");
                ManagedChannel toRenderer = asSignaling.channel(stack.rendererTarget, FleetRole.RENDERER, "renderer");
                try {
                    StatusRuntimeException refused = refusedOpen(id -> StreamerControlGrpc.newBlockingStub(toStreamer)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .openSession(StreamerOpenRequest.newBuilder().setSessionId(id).build()),
                            id -> StreamerControlGrpc.newBlockingStub(toStreamer).closeSession(SessionRef.newBuilder().setSessionId(id).build()));
                    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
                    assertEquals("streamer streamer-1 is draining", refused.getStatus().getDescription());
                    StatusRuntimeException rendererRefused = refusedOpen(id -> RendererControlGrpc.newBlockingStub(toRenderer)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .openSession(RendererOpenRequest.newBuilder().setSessionId(id)
                                    .setBusPath(stack.busRoot.resolve("streamer-1").toString()).build()),
                            id -> RendererControlGrpc.newBlockingStub(toRenderer).closeSession(SessionRef.newBuilder().setSessionId(id).build()));
                    assertEquals(Status.Code.UNAVAILABLE, rendererRefused.getStatus().getCode());
                } finally {
                    toStreamer.shutdownNow();
                    toRenderer.shutdownNow();
                }

                ReceivedEvent finished = session.awaitEvent(e -> e.hasSpeechFinished()
                        && e.getSpeechFinished().getUtteranceId() == u, Duration.ofSeconds(60))
                        .orElseThrow(() -> new AssertionError("the utterance finished while draining:\n" + stack.logs()));
                assertFalse(session.events().stream().map(ReceivedEvent::event)
                        .anyMatch(e -> e.hasInterrupted() || e.hasError()), "nothing cut or failed: " + session.events());
                // The renderer still serves the open session: a second utterance is spoken during the drain.
                long u2 = session.speak("And one more.");
                session.awaitEvent(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == u2,
                        Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("speak while draining:\n" + stack.logs()));
                assertTrue(streamer.isAlive() && stack.renderer.isAlive(), "both wait for the open session");

                long close = System.nanoTime();
                session.close();
                Integer streamerExit = streamer.awaitExit(Duration.ofSeconds(30));
                long streamerGone = System.nanoTime();
                Integer rendererExit = stack.renderer.awaitExit(Duration.ofSeconds(30));
                long rendererGone = System.nanoTime();
                assertEquals(0, streamerExit, "streamer exit code:\n" + stack.logs());
                assertEquals(0, rendererExit, "renderer exit code:\n" + stack.logs());
                for (NodeProbe.ReadinessWatch w : List.of(streamerReady, rendererReady)) {
                    // The watch starts before the signal is handled: at most a first 200, then never again.
                    List<Integer> fromDrain = w.answers.subList(Math.max(0, w.answers.indexOf(503)), w.answers.size());
                    assertTrue(w.answers.contains(503), "not ready once draining: " + w.answers);
                    assertTrue(fromDrain.stream().noneMatch(s -> s == 200), "never ready again while draining: " + w.answers);
                }
                System.out.printf("node drain figures: SIGTERM -> speech finished %d ms (utterance of %d ms);"
                                + " close -> streamer exit %d ms, renderer exit %d ms; readiness 503 x%d / x%d (streamer / renderer), never 200 after%n",
                        (finished.arrivalNanos() - term) / 1_000_000, finished.event().getSpeechFinished().getDurationMs(),
                        (streamerGone - close) / 1_000_000, (rendererGone - close) / 1_000_000,
                        streamerReady.answers.stream().filter(s -> s == 503).count(),
                        rendererReady.answers.stream().filter(s -> s == 503).count());
            }
            String log = java.nio.file.Files.readString(streamer.log());
            assertTrue(log.contains("draining (SIGTERM)") && log.contains("drained after"), log);
        }
    }

    @Test
    void aSecondSigtermClosesLiveSessionsAtOnce() throws Exception {
        try (LocalStack stack = LocalStack.start("node-drain-force", 1, 4, Duration.ofSeconds(30),
                List.of("--http-port", "0"), List.of("--drain-timeout", "10m"));
             FacecastClient client = stack.client()) {
            JvmProcess streamer = stack.streamers.get(0);
            ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), new Recording(0));
            assertTrue(session.awaitConnected(Duration.ofSeconds(20)), "peer connected:\n" + stack.logs());
            streamer.terminate();
            assertEquals(null, streamer.awaitExit(Duration.ofSeconds(2)), "draining: the live session holds it");
            long second = System.nanoTime();
            streamer.terminate();
            Integer exit = streamer.awaitExit(Duration.ofSeconds(20));
            long gone = System.nanoTime();
            assertEquals(0, exit, "exit code:\n" + stack.logs());
            String log = java.nio.file.Files.readString(streamer.log());
            assertTrue(log.contains("drain forced"), log);
            System.out.printf("forced drain figures: second SIGTERM -> exit %d ms with 1 live session%n",
                    (gone - second) / 1_000_000);
            session.close();
        }
    }

    /** Opens until refused (the signal is handled asynchronously); a session opened before the drain began is closed. */
    private static StatusRuntimeException refusedOpen(java.util.function.Consumer<String> open,
                                                      java.util.function.Consumer<String> close)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (int n = 0; System.nanoTime() < deadline; n++) {
            String id = "late-" + n;
            try {
                open.accept(id);
            } catch (StatusRuntimeException e) {
                return e;
            }
            close.accept(id);
            Thread.sleep(20); // opened before the SIGTERM was handled: try again (it is refused within ms)
        }
        throw new AssertionError("OpenSession was never refused");
    }
}
