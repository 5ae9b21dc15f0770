package io.facecast.rtc;

import dev.onvoid.webrtc.RTCIceServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A STUN/TURN server as the public API describes it (urls, username, credential). */
public record IceServerConfig(List<String> urls, String username, String credential) {
    public IceServerConfig {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one url");
        }
        username = username == null ? "" : username;
        credential = credential == null ? "" : credential;
    }

    public static IceServerConfig of(String url) {
        return new IceServerConfig(List.of(url), "", "");
    }

    RTCIceServer toRtc() {
        RTCIceServer server = new RTCIceServer();
        server.urls = new ArrayList<>(urls);
        server.username = username;
        server.password = credential;
        return server;
    }
}
