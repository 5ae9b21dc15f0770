package io.facecast.signaling.http;

import io.facecast.api.v1.IceServer;
import java.util.ArrayList;
import java.util.List;

/**
 * ICE servers as WHIP/WHEP Link headers (RFC 9725 section 4.6):
 * {@code <turn:host:3478?transport=udp>; rel="ice-server"; username="u"; credential="c"; credential-type="password"}.
 */
final class IceLinks {

    private IceLinks() {}

    static List<String> of(List<IceServer> servers) {
        List<String> links = new ArrayList<>();
        for (IceServer server : servers) {
            for (String url : server.getUrlsList()) {
                StringBuilder link = new StringBuilder().append('<').append(url).append(">; rel=\"ice-server\"");
                if (!server.getUsername().isEmpty()) {
                    link.append("; username=").append(quoted(server.getUsername()))
                            .append("; credential=").append(quoted(server.getCredential()))
                            .append("; credential-type=\"password\"");
                }
                links.add(link.toString());
            }
        }
        return links;
    }

    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
