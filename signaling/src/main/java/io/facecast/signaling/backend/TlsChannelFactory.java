package io.facecast.signaling.backend;

import io.facecast.security.FleetRole;
import io.facecast.security.FleetTls;
import io.grpc.ManagedChannel;

/** Channels of the internal control plane: signaling's certificate out, the peer's identity checked in the handshake. */
public final class TlsChannelFactory implements ChannelFactory {
    private final FleetTls tls;

    public TlsChannelFactory(FleetTls tls) {
        this.tls = tls;
    }

    @Override
    public ManagedChannel open(String address, FleetRole role, String id) {
        return tls.channel(address, role, id);
    }
}
