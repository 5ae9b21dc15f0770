package io.facecast.signaling.backend;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/** Plaintext channels: the control plane runs on loopback or a private network between our own processes. */
public final class NettyChannelFactory implements ChannelFactory {
    @Override
    public ManagedChannel open(String address) {
        return NettyChannelBuilder.forTarget(address).usePlaintext().build();
    }
}
