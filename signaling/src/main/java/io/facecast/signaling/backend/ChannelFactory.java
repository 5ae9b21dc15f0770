package io.facecast.signaling.backend;

import io.grpc.ManagedChannel;

/** Opens a channel to a control address (host:port). Production uses plaintext Netty; tests use in-process names. */
public interface ChannelFactory {
    ManagedChannel open(String address);
}
