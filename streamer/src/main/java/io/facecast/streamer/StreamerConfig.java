package io.facecast.streamer;

import java.nio.file.Path;

/**
 * How one streamer process runs.
 *
 * @param busRoot the bus root shared with the renderer; this streamer tails {@code busRoot/id}
 */
public record StreamerConfig(String id, String host, int port, String signalingAddress, Path busRoot, int maxSessions) {
    public Path busPath() {
        return busRoot.resolve(id).toAbsolutePath();
    }

    public String advertisedAddress(int boundPort) {
        return host + ":" + boundPort;
    }
}
