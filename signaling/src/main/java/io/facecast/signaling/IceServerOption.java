package io.facecast.signaling;

import io.facecast.api.v1.IceServer;

/**
 * Parses one {@code --ice-server} value: {@code stun:host:port} or {@code turn:host:port?transport=udp,user,credential}.
 * TURN needs credentials (browsers refuse a TURN server without them), STUN must have none.
 */
public final class IceServerOption {

    private IceServerOption() {}

    public static IceServer parse(String value) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("--ice-server is empty; use stun:host:port or turn:host:port?transport=udp,user,credential");
        }
        String[] parts = trimmed.split(",", -1);
        String url = parts[0].trim();
        boolean turn = url.startsWith("turn:") || url.startsWith("turns:");
        boolean stun = url.startsWith("stun:") || url.startsWith("stuns:");
        if (!turn && !stun) {
            throw new IllegalArgumentException("--ice-server '" + value + "' must start with stun:, stuns:, turn: or turns:");
        }
        String hostPort = url.substring(url.indexOf(':') + 1);
        int query = hostPort.indexOf('?');
        if (query >= 0) {
            hostPort = hostPort.substring(0, query);
        }
        if (hostPort.isEmpty()) {
            throw new IllegalArgumentException("--ice-server '" + value + "' has no host");
        }
        IceServer.Builder server = IceServer.newBuilder().addUrls(url);
        if (turn) {
            if (parts.length != 3 || parts[1].isBlank() || parts[2].isBlank()) {
                throw new IllegalArgumentException(
                        "--ice-server '" + value + "' is a TURN server and needs credentials: turn:host:port?transport=udp,user,credential");
            }
            server.setUsername(parts[1].trim()).setCredential(parts[2].trim());
        } else if (parts.length != 1) {
            throw new IllegalArgumentException("--ice-server '" + value + "' is a STUN server and takes no credentials");
        }
        return server.build();
    }
}
