package io.facecast.signaling.backend;

import io.facecast.security.FleetRole;
import io.grpc.ManagedChannel;

/**
 * Opens a channel to a control address (host:port). Production uses mutual TLS that verifies the peer's fleet identity
 * ({@link TlsChannelFactory}); tests use in-process names.
 */
public interface ChannelFactory {
    /**
     * @param role what the peer must be
     * @param id   which one, or null for any process of that role
     */
    ManagedChannel open(String address, FleetRole role, String id);
}
