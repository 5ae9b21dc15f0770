package io.facecast.signaling.api;

import io.facecast.errors.Errors;
import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.HeartbeatResponse;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegisterStreamerResponse;
import io.facecast.internal.v1.RegistryGrpc;
import io.facecast.security.FleetAuthorization;
import io.facecast.signaling.session.StreamerLifecycle;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/**
 * Streamers register and keep their registration alive here, on the internal port only, each as the streamer its
 * certificate names ({@link FleetAuthorization#caller()}).
 */
public final class RegistryService extends RegistryGrpc.RegistryImplBase {

    private final StreamerLifecycle streamers;

    @Inject
    public RegistryService(StreamerLifecycle streamers) {
        this.streamers = streamers;
    }

    @Override
    public void registerStreamer(RegisterStreamerRequest request, StreamObserver<RegisterStreamerResponse> response) {
        Errors.unary("RegisterStreamer", "signaling", response, () -> RegisterStreamerResponse.newBuilder()
                .setHeartbeatIntervalMs((int) streamers.register(request, FleetAuthorization.caller()).toMillis())
                .build());
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        Errors.unary("Heartbeat", "signaling", response, () -> HeartbeatResponse.newBuilder()
                .setKnown(streamers.heartbeat(request.getStreamerId(), FleetAuthorization.caller(),
                        request.getActiveSessions(), request.getState(), request.getLoad()))
                .build());
    }
}
