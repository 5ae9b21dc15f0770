package io.facecast.signaling.backend;

/** Connects to a streamer's control address when it registers. */
public interface StreamerBackendFactory {
    StreamerBackend connect(String streamerId, String controlAddress);
}
