package io.facecast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS servers and channels on loopback: who gets through the handshake, and who gets through the gate. */
class MutualTlsTest {
    @TempDir
    Path dir;
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final AtomicReference<FleetIdentity> seenCaller = new AtomicReference<>();

    /** A service that records who called it. */
    private final class Recording extends HealthGrpc.HealthImplBase {
        @Override
        public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
            seenCaller.set(FleetAuthorization.caller());
            response.onNext(HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
            response.onCompleted();
        }
    }

    @BeforeEach
    void issue() throws Exception {
        ClusterCa ca = ClusterCa.init(dir);
        ca.issue(FleetRole.SIGNALING, "signaling", Duration.ofDays(1), false);
        ca.issue(FleetRole.STREAMER, "s1", Duration.ofDays(1), false);
        ca.issue(FleetRole.STREAMER, "s2", Duration.ofDays(1), false);
        ca.issue(FleetRole.RENDERER, "renderer", Duration.ofDays(1), false);
    }

    @AfterEach
    void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
    }

    /** A server of {@code id} whose service admits streamers only, as signaling's Registry does. */
    private int serve(FleetRole role, String id) throws Exception {
        Server server = FleetTls.load(dir, role, id).serverBuilder("127.0.0.1", 0)
                .addService(FleetAuthorization.admit(new Recording(), PeerIdentitySource.tls(), FleetRole.STREAMER))
                .build().start();
        servers.add(server);
        return server.getPort();
    }

    private HealthCheckResponse call(ManagedChannel channel) {
        channels.add(channel);
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    }

    @Test
    void aStreamerCertificateGetsThroughAndTheServiceSeesItsIdentity() throws Exception {
        int port = serve(FleetRole.SIGNALING, "signaling");
        FleetTls s1 = FleetTls.load(dir, FleetRole.STREAMER, "s1");
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, call(s1.channel("127.0.0.1:" + port, FleetRole.SIGNALING)).getStatus());
        assertEquals(s1.self(), seenCaller.get(), "identity and certificate fingerprint from the TLS session");
    }

    @Test
    void aRoleTheServiceDoesNotAdmitIsPermissionDenied() throws Exception {
        int port = serve(FleetRole.SIGNALING, "signaling");
        FleetTls renderer = FleetTls.load(dir, FleetRole.RENDERER, "renderer");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(renderer.channel("127.0.0.1:" + port, FleetRole.SIGNALING)));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("spiffe://facecast/renderer/renderer may not call grpc.health.v1.Health"),
                e.getStatus().getDescription());
    }

    @Test
    void withoutAClientCertificateOrInPlaintextTheCallNeverArrives() throws Exception {
        int port = serve(FleetRole.SIGNALING, "signaling");
        var noCert = GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient()
                .trustManager(dir.resolve("ca.crt").toFile()), SslProvider.JDK).build();
        StatusRuntimeException tls = assertThrows(StatusRuntimeException.class, () -> call(NettyChannelBuilder
                .forAddress("127.0.0.1", port).overrideAuthority("localhost").sslContext(noCert).build()));
        assertEquals(Status.Code.UNAVAILABLE, tls.getStatus().getCode(), tls.getStatus().toString());
        StatusRuntimeException plain = assertThrows(StatusRuntimeException.class,
                () -> call(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build()));
        assertEquals(Status.Code.UNAVAILABLE, plain.getStatus().getCode(), plain.getStatus().toString());
        assertEquals(null, seenCaller.get());
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedInTheHandshake() throws Exception {
        int port = serve(FleetRole.SIGNALING, "signaling");
        Path other = Files.createDirectory(dir.resolve("other"));
        ClusterCa.init(other).issue(FleetRole.STREAMER, "s1", Duration.ofDays(1), false);
        // The intruder trusts the real CA (ca.crt is public) but its own certificate comes from another CA.
        Files.copy(dir.resolve("ca.crt"), other.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var intruder = GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient()
                .keyManager(other.resolve("s1.crt").toFile(), other.resolve("s1.key").toFile())
                .trustManager(dir.resolve("ca.crt").toFile()), SslProvider.JDK).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(NettyChannelBuilder
                .forAddress("127.0.0.1", port).overrideAuthority("localhost").sslContext(intruder).build()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(null, seenCaller.get());
    }

    @Test
    void aChannelExpectingOneStreamerRefusesAnotherAnsweringAtItsAddress() throws Exception {
        int port = serve(FleetRole.STREAMER, "s2");
        FleetTls signaling = FleetTls.load(dir, FleetRole.SIGNALING, "signaling");
        // Signaling dials the address s1 registered; s2 answers there.
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(signaling.channel("127.0.0.1:" + port, FleetRole.STREAMER, "s1")));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        // The same server is fine for a caller expecting s2 (and signaling is no streamer: the gate says so).
        StatusRuntimeException gate = assertThrows(StatusRuntimeException.class,
                () -> call(signaling.channel("127.0.0.1:" + port, FleetRole.STREAMER, "s2")));
        assertEquals(Status.Code.PERMISSION_DENIED, gate.getStatus().getCode());
    }
}
