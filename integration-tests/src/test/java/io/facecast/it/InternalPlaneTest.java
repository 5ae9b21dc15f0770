package io.facecast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.GetSessionRequest;
import io.facecast.api.v1.SessionState;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;
import io.facecast.internal.v1.Empty;
import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegistryGrpc;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.StreamerControlGrpc;
import io.facecast.security.ClusterCa;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 8's registry hijack and open control plane, tried against the three real processes over real sockets: the
 * internal ports (signaling's registry, the renderer's and the streamer's control ports) take no call without a
 * client certificate of the cluster CA, a streamer certificate registers only as itself, and the renderer writes only
 * under its bus root.
 */
class InternalPlaneTest {
    static LocalStack stack;
    static FacecastClient client;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start("internal-plane", 1, 4, Duration.ofSeconds(5));
        client = stack.client();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (client != null) client.close();
        if (stack != null) stack.close();
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private ManagedChannel track(ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }

    private ManagedChannel plaintext(String target) {
        return track(NettyChannelBuilder.forTarget(target).usePlaintext().build());
    }

    /** TLS that trusts the cluster CA (its certificate is no secret) but presents no client certificate. */
    private ManagedChannel tlsWithoutCertificate(String target) throws Exception {
        var context = GrpcSslContexts.configure(SslContextBuilder.forClient()
                .trustManager(stack.tlsDir.resolve("ca.crt").toFile()), SslProvider.JDK).build();
        return track(NettyChannelBuilder.forTarget(target).overrideAuthority("localhost").sslContext(context).build());
    }

    /** A client certificate for streamer-1 from another CA, trusting the real one. */
    private ManagedChannel foreignCertificate(String target) throws Exception {
        Path other = Files.createTempDirectory("facecast-other-ca-");
        ClusterCa.init(other).issue(FleetRole.STREAMER, "streamer-1", Duration.ofDays(1), false);
        var context = GrpcSslContexts.configure(SslContextBuilder.forClient()
                .keyManager(other.resolve("streamer-1.crt").toFile(), other.resolve("streamer-1.key").toFile())
                .trustManager(stack.tlsDir.resolve("ca.crt").toFile()), SslProvider.JDK).build();
        return track(NettyChannelBuilder.forTarget(target).overrideAuthority("localhost").sslContext(context).build());
    }

    /** A process certificate the stack's CA really issued (as if stolen or mis-issued), in its own directory. */
    private static FleetTls issued(FleetRole role, String id) throws Exception {
        Path dir = Files.createTempDirectory("facecast-issued-");
        Files.copy(stack.tlsDir.resolve("ca.crt"), dir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(stack.tlsDir.resolve("ca.key"), dir.resolve("ca.key"), StandardCopyOption.REPLACE_EXISTING);
        ClusterCa.load(dir).issue(role, id, Duration.ofDays(1), false);
        return FleetTls.load(dir, role, id);
    }

    private static RegisterStreamerRequest hijack(String bus) {
        return RegisterStreamerRequest.newBuilder().setStreamerId("streamer-1").setControlAddress("127.0.0.1:9")
                .setBusPath(bus).setMaxSessions(64).build();
    }

    private static void assertCode(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    }

    private static RegistryGrpc.RegistryBlockingStub registry(ManagedChannel channel) {
        return RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    @Test
    void registryHijackIsRefusedAndTheRealStreamersSessionKeepsStreaming() throws Exception {
        Recording recording = new Recording(0);
        try (ReceiverSession session = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), recording)) {
            assertTrue(session.awaitConnected(Duration.ofSeconds(20)), "peer did not connect:\n" + stack.logs());
            String evilBus = "/tmp/facecast-hijack-" + UUID.randomUUID();

            // The registry is not on the public port at all.
            assertCode(Status.Code.UNIMPLEMENTED, () -> registry(plaintext(stack.signalingTarget)).registerStreamer(hijack(evilBus)));
            // (a) No certificate: no TLS handshake (plaintext or TLS without a client certificate), no call.
            assertCode(Status.Code.UNAVAILABLE, () -> registry(plaintext(stack.signalingInternal)).registerStreamer(hijack(evilBus)));
            assertCode(Status.Code.UNAVAILABLE, () -> registry(tlsWithoutCertificate(stack.signalingInternal)).registerStreamer(hijack(evilBus)));
            // (b) A certificate from another CA.
            assertCode(Status.Code.UNAVAILABLE, () -> registry(foreignCertificate(stack.signalingInternal)).registerStreamer(hijack(evilBus)));
            // (c) Valid certificates of the cluster CA: another streamer's, and a second one for streamer-1 itself.
            FleetTls intruder = issued(FleetRole.STREAMER, "intruder");
            ManagedChannel asIntruder = track(intruder.channel(stack.signalingInternal, FleetRole.SIGNALING));
            assertCode(Status.Code.PERMISSION_DENIED, () -> registry(asIntruder).registerStreamer(hijack(evilBus)));
            assertCode(Status.Code.PERMISSION_DENIED, () -> registry(asIntruder).heartbeat(
                    HeartbeatRequest.newBuilder().setStreamerId("streamer-1").build()));
            FleetTls copy = issued(FleetRole.STREAMER, "streamer-1");
            ManagedChannel asCopy = track(copy.channel(stack.signalingInternal, FleetRole.SIGNALING));
            assertCode(Status.Code.PERMISSION_DENIED, () -> registry(asCopy).registerStreamer(hijack(evilBus)));
            assertFalse(registry(asCopy).heartbeat(HeartbeatRequest.newBuilder().setStreamerId("streamer-1").build()).getKnown(),
                    "another certificate's heartbeats keep nothing alive");

            // The real streamer's session goes on: still placed, still streaming (real media is the clock here).
            int before = recording.frameCount();
            Thread.sleep(2000);
            int after = recording.frameCount();
            assertTrue(after - before >= 20, "frames kept arriving: " + before + " -> " + after + "\n" + stack.logs());
            assertNotEquals(SessionState.SESSION_STATE_CLOSED,
                    client.getSession(session.sessionId()).getState(), "signaling did not close it");
            assertFalse(Files.exists(Path.of(evilBus)), "nothing was written at the hijacker's bus path");
            // And new sessions still go to the real streamer.
            var fresh = client.createSession(CreateSessionRequest.getDefaultInstance());
            assertEquals("streamer-1", fresh.getStreamerId());
            client.closeSession(fresh.getSessionId());
        }
    }

    @Test
    void rendererAndStreamerControlPortsAdmitOnlySignalingWithACertificate() throws Exception {
        String streamer = stack.streamerControl.get(0);
        for (String target : List.of(stack.rendererTarget, streamer)) {
            assertCode(Status.Code.UNAVAILABLE, () -> StreamerControlGrpc.newBlockingStub(plaintext(target))
                    .withDeadlineAfter(15, TimeUnit.SECONDS).inspect(Empty.getDefaultInstance()));
            assertCode(Status.Code.UNAVAILABLE, () -> StreamerControlGrpc.newBlockingStub(tlsWithoutCertificate(target))
                    .withDeadlineAfter(15, TimeUnit.SECONDS).inspect(Empty.getDefaultInstance()));
        }
        // A fleet certificate of the wrong role: a streamer may not watch every session's events, nor drive the renderer.
        FleetTls intruder = issued(FleetRole.STREAMER, "intruder-2");
        ManagedChannel toStreamer = track(intruder.channel(streamer, FleetRole.STREAMER, "streamer-1"));
        assertCode(Status.Code.PERMISSION_DENIED, () -> StreamerControlGrpc.newBlockingStub(toStreamer)
                .withDeadlineAfter(15, TimeUnit.SECONDS).watchEvents(Empty.getDefaultInstance()).hasNext());
        ManagedChannel toRenderer = track(intruder.channel(stack.rendererTarget, FleetRole.RENDERER));
        assertCode(Status.Code.PERMISSION_DENIED, () -> RendererControlGrpc.newBlockingStub(toRenderer)
                .withDeadlineAfter(15, TimeUnit.SECONDS).openSession(RendererOpenRequest.newBuilder()
                        .setSessionId("x").setBusPath(stack.busRoot.resolve("x").toString()).build()));
        // Signaling's identity gets through: the gate is the role, not a blanket refusal.
        FleetTls signaling = FleetTls.load(stack.tlsDir, FleetRole.SIGNALING, "signaling");
        ManagedChannel asSignaling = track(signaling.channel(streamer, FleetRole.STREAMER, "streamer-1"));
        assertEquals("streamer-1", StreamerControlGrpc.newBlockingStub(asSignaling).withDeadlineAfter(15, TimeUnit.SECONDS)
                .inspect(Empty.getDefaultInstance()).getStreamerId());
        // Dialling streamer-1's address expecting another streamer fails in the handshake: identity, not address.
        ManagedChannel wrongExpectation = track(signaling.channel(streamer, FleetRole.STREAMER, "streamer-2"));
        assertCode(Status.Code.UNAVAILABLE, () -> StreamerControlGrpc.newBlockingStub(wrongExpectation)
                .withDeadlineAfter(15, TimeUnit.SECONDS).inspect(Empty.getDefaultInstance()));
    }

    @Test
    void rendererRefusesABusPathOutsideItsRoot() throws Exception {
        FleetTls signaling = FleetTls.load(stack.tlsDir, FleetRole.SIGNALING, "signaling");
        var renderer = RendererControlGrpc.newBlockingStub(track(signaling.channel(stack.rendererTarget, FleetRole.RENDERER)))
                .withDeadlineAfter(15, TimeUnit.SECONDS);
        Path outside = Path.of("/tmp", "facecast-outside-" + UUID.randomUUID());
        for (String bus : List.of(outside.toString(), stack.busRoot + "/../" + outside.getFileName(),
                stack.busRoot.resolve("a").resolve("b").toString())) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> renderer.openSession(
                    RendererOpenRequest.newBuilder().setSessionId("s-" + UUID.randomUUID()).setBusPath(bus).build()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), bus + ": " + e.getStatus());
            assertTrue(e.getStatus().getDescription().contains("bus root"), e.getStatus().getDescription());
        }
        assertFalse(Files.exists(outside), "no queue created outside the bus root");
        assertFalse(Files.exists(stack.busRoot.resolve("a")), "no queue created below a refused path");
    }
}
