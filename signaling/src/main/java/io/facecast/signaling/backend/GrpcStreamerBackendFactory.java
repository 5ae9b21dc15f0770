package io.facecast.signaling.backend;

import java.time.Duration;

public final class GrpcStreamerBackendFactory implements StreamerBackendFactory {

    private final ChannelFactory channels;
    private final Duration deadline;

    public GrpcStreamerBackendFactory(ChannelFactory channels, Duration deadline) {
        this.channels = channels;
        this.deadline = deadline;
    }

    @Override
    public StreamerBackend connect(String streamerId, String controlAddress) {
        return new GrpcStreamerBackend(streamerId, controlAddress, channels, deadline);
    }
}
