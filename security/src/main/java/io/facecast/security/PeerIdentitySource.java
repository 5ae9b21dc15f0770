package io.facecast.security;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Where a call's caller identity comes from: production reads the mutual-TLS peer certificate. */
@FunctionalInterface
public interface PeerIdentitySource {

    Optional<FleetIdentity> identify(ServerCall<?, ?> call, Metadata headers);

    /** The leaf certificate of the call's TLS session (already verified against the CA during the handshake). */
    static PeerIdentitySource tls() {
        return (call, headers) -> {
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            if (session == null) {
                return Optional.empty();
            }
            try {
                Certificate[] chain = session.getPeerCertificates();
                if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                    return Optional.empty();
                }
                return Optional.of(FleetIdentity.of(leaf));
            } catch (SSLPeerUnverifiedException | IllegalArgumentException e) {
                return Optional.empty();
            }
        };
    }
}
