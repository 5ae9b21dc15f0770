package io.facecast.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The production wiring (Netty on loopback, real Guice module) boots, reports healthy and answers. */
class SignalingServerTest {

    @Test
    void productionWiringServesHealthAndTheApiOnLoopback() throws Exception {
        SignalingConfig config = SignalingConfig.defaults().withPort(0).withRendererAddress("127.0.0.1:1");
        try (SignalingServer server = Guice.createInjector(new SignalingModule(config)).getInstance(SignalingServer.class)) {
            server.start();
            assertTrue(server.port() > 0);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                        .check(HealthCheckRequest.newBuilder().setService("facecast.v1.Facecast").build());
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
                // Auth is on by default (here with a key nobody knows): the public API refuses a call without one.
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> FacecastGrpc.newBlockingStub(channel).createSession(CreateSessionRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
                assertTrue(e.getStatus().getDescription().contains("authorization: Bearer"), e.getStatus().getDescription());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
