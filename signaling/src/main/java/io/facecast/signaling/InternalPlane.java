package io.facecast.signaling;

import io.facecast.security.FleetTls;

/**
 * Signaling's side of the internal control plane: where the streamers' {@code Registry} listens (loopback by default,
 * never on the public port) and the TLS material that both that listener and the channels to the renderer and the
 * streamers use.
 */
public record InternalPlane(String host, int port, FleetTls tls) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 50052;
    /** Signaling's fleet id unless told otherwise: its certificate is {@code <tls-dir>/signaling.crt}. */
    public static final String DEFAULT_ID = "signaling";
}
