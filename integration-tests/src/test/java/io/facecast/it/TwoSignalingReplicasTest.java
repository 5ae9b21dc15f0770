package io.facecast.it;

import io.facecast.signaling.support.RedisServer;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.SessionState;
import io.facecast.client.BearerCredentials;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceivedEvent;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 on real processes over loopback: two signaling replicas share one real redis-server; the renderer and a
 * streamer register with replica A. A client creates its session through A and does everything else through B
 * (negotiate, trickle, watch, speak): the media connects, the session's events (pumped from the streamer by A) reach
 * the watcher on B, speech plays. Then the streamer is SIGKILLed: the watcher on B gets an Error and FAILED; the
 * time from the kill to that event is printed (detection: 3 s heartbeat TTL + up to 1 s until a replica's pass).
 */
class TwoSignalingReplicasTest {

    @Test
    void createThroughAAndEverythingElseThroughBThenAStreamerDiesAndBsWatcherIsTold() throws Exception {
        try (RedisServer redis = RedisServer.startOrSkip();
             LocalStack stack = LocalStack.start("two-replicas", 1, 4, Duration.ofSeconds(30),
                     List.of("--http-port", "0", "--registry", redis.uri()))) {
            List<String> args = new ArrayList<>(List.of("--port", "0", "--internal-port", "0",
                    "--tls-dir", stack.tlsDir.toString(), "--renderer", stack.rendererTarget,
                    "--session-grace", "30000ms", "--http-port", "0", "--registry", redis.uri(),
                    "--api-key-file", stack.apiKeyFile.toString(),
                    "--key-session-quota", "64", "--key-rate", "1000", "--key-burst", "1000"));
            try (JvmProcess replicaB = JvmProcess.start("signaling-b", "signaling", Path.of("target", "it-logs", "two-replicas"), args)) {
                String targetB = replicaB.awaitListening(Duration.ofSeconds(60));
                ManagedChannel toA = NettyChannelBuilder.forTarget(stack.signalingTarget).usePlaintext().build();
                ManagedChannel toB = NettyChannelBuilder.forTarget(targetB).usePlaintext().build();
                try (FacecastClient split = FacecastClient.over(createThroughAOthersThroughB(toA, toB, stack.apiKey));
                     FacecastClient onlyA = stack.client();
                     ReceiverSession session = ReceiverSession.open(split, CreateSessionRequest.getDefaultInstance(),
                             new Recording(0))) {
                    assertTrue(session.awaitConnected(Duration.ofSeconds(30)), stack.logs() + "\n" + replicaB.tail());
                    // CONNECTED comes from the streamer, whose event stream only A reads: B's watcher got it via Redis.
                    assertTrue(session.awaitEvent(e -> e.hasStateChanged()
                            && e.getStateChanged().getState() == SessionState.SESSION_STATE_CONNECTED,
                            Duration.ofSeconds(10)).isPresent(), replicaB.tail());

                    long utterance = session.speak("Hello from the other replica.");
                    Optional<ReceivedEvent> finished = session.awaitEvent(e -> e.hasSpeechFinished()
                            && e.getSpeechFinished().getUtteranceId() == utterance, Duration.ofSeconds(30));
                    assertTrue(finished.isPresent(), "speech through B finished, seen on B: " + stack.logs());
                    assertEquals(SessionState.SESSION_STATE_CONNECTED, onlyA.getSession(session.sessionId()).getState(),
                            "A sees the state B's calls and the streamer made");
                    assertTrue(session.stats().videoFramesReceived() > 0, "media arrived");

                    long killed = System.nanoTime();
                    stack.streamers.get(0).kill();
                    Optional<ReceivedEvent> failed = session.awaitEvent(e -> e.hasStateChanged()
                            && e.getStateChanged().getState() == SessionState.SESSION_STATE_FAILED, Duration.ofSeconds(10));
                    assertTrue(failed.isPresent(), "FAILED on B's watcher: " + replicaB.tail() + stack.logs());
                    boolean errorFirst = session.events().stream().map(ReceivedEvent::event)
                            .anyMatch(e -> e.hasError() && e.getError().getCode().equals("UNAVAILABLE"));
                    assertTrue(errorFirst, "an Error event says why");
                    double seconds = (failed.get().arrivalNanos() - killed) / 1e9;
                    System.out.printf("two-replicas: streamer SIGKILL -> FAILED on the other replica's watcher in %.2f s%n", seconds);
                    assertTrue(seconds < 5.0, "detected within 5 s, took " + seconds);
                } finally {
                    toA.shutdownNow();
                    toB.shutdownNow();
                }
            }
        }
    }

    /** A channel that sends CreateSession to replica A and every other call to replica B, with the API key. */
    private static Channel createThroughAOthersThroughB(Channel a, Channel b, String apiKey) {
        BearerCredentials credentials = new BearerCredentials(apiKey);
        return new Channel() {
            @Override
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
                Channel to = method.getFullMethodName().equals(FacecastGrpc.getCreateSessionMethod().getFullMethodName()) ? a : b;
                return to.newCall(method, options.withCallCredentials(credentials));
            }

            @Override
            public String authority() {
                return b.authority();
            }
        };
    }
}
