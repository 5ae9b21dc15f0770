package io.facecast.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegistryGrpc;
import io.facecast.security.ClusterCa;
import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.facecast.signaling.auth.ApiKey;
import io.facecast.signaling.auth.AuthOptions;
import io.facecast.signaling.http.HttpOptions;
import io.facecast.signaling.ice.IceOptions;
import io.facecast.signaling.support.Bearer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production wiring (Netty on loopback, real Guice module, real mutual TLS) boots, reports healthy and answers. */
class SignalingServerTest {

    @TempDir
    Path tls;

    @Test
    void productionWiringServesHealthAndTheApiOnLoopbackAndTheRegistryOnlyBehindMutualTls() throws Exception {
        ClusterCa ca = ClusterCa.init(tls);
        ca.issue(FleetRole.SIGNALING, "signaling", Duration.ofDays(1), false);
        ca.issue(FleetRole.STREAMER, "s1", Duration.ofDays(1), false);
        SignalingConfig config = SignalingConfig.defaults().withPort(0).withRendererAddress("127.0.0.1:1");
        ApiKey key = ApiKey.generate(new SecureRandom());
        InternalPlane internal = new InternalPlane("127.0.0.1", 0, FleetTls.load(tls, FleetRole.SIGNALING, "signaling"));
        try (SignalingServer server = Guice.createInjector(
                new SignalingModule(config, HttpOptions.disabled(), IceOptions.none(), internal,
                        AuthOptions.withKeys(List.of(key)))).getInstance(SignalingServer.class)) {
            server.start();
            assertTrue(server.port() > 0);
            assertTrue(server.internalPort() > 0);
            assertNotEquals(server.port(), server.internalPort());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            ManagedChannel plainInternal = NettyChannelBuilder.forAddress("127.0.0.1", server.internalPort()).usePlaintext().build();
            ManagedChannel streamer = FleetTls.load(tls, FleetRole.STREAMER, "s1").channel("127.0.0.1:" + server.internalPort(), FleetRole.SIGNALING);
            RegisterStreamerRequest register = RegisterStreamerRequest.newBuilder().setStreamerId("s1")
                    .setControlAddress("127.0.0.1:1").setBusPath("/tmp/bus/s1").setMaxSessions(1).build();
            try {
                HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                        .check(HealthCheckRequest.newBuilder().setService("facecast.v1.Facecast").build());
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
                // Auth is on by default: the public API refuses a call without a key.
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> FacecastGrpc.newBlockingStub(channel).createSession(CreateSessionRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
                assertTrue(e.getStatus().getDescription().contains("authorization: Bearer"), e.getStatus().getDescription());

                // With the key, the same call reaches placement: no streamer yet.
                FacecastGrpc.FacecastBlockingStub keyed = FacecastGrpc.newBlockingStub(channel)
                        .withCallCredentials(Bearer.of(key.value()));
                StatusRuntimeException none = assertThrows(StatusRuntimeException.class,
                        () -> keyed.createSession(CreateSessionRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAVAILABLE, none.getStatus().getCode());
                assertEquals("no streamer is registered", none.getStatus().getDescription());
                StatusRuntimeException onPublic = assertThrows(StatusRuntimeException.class,
                        () -> RegistryGrpc.newBlockingStub(channel).registerStreamer(register));
                assertEquals(Status.Code.UNIMPLEMENTED, onPublic.getStatus().getCode(), "no registry on the public port");
                StatusRuntimeException plain = assertThrows(StatusRuntimeException.class,
                        () -> RegistryGrpc.newBlockingStub(plainInternal).withDeadlineAfter(10, TimeUnit.SECONDS).registerStreamer(register));
                assertEquals(Status.Code.UNAVAILABLE, plain.getStatus().getCode(), "plaintext never reaches the registry");

                RegistryGrpc.newBlockingStub(streamer).withDeadlineAfter(10, TimeUnit.SECONDS).registerStreamer(register);
                StatusRuntimeException full = assertThrows(StatusRuntimeException.class,
                        () -> keyed.createSession(CreateSessionRequest.getDefaultInstance()));
                assertNotEquals("no streamer is registered", full.getStatus().getDescription(), "the streamer registered over mTLS");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                plainInternal.shutdownNow();
                streamer.shutdownNow();
            }
        }
    }
}
