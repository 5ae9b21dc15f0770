package io.facecast.signaling.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * DNS rebinding defence for a loopback listener: a page on evil.example that re-points its name at 127.0.0.1 still
 * sends {@code Host: evil.example:8080}. When bound to loopback only {@code 127.0.0.1}, {@code localhost} and
 * {@code [::1]} with the bound port are accepted; on any other bind address every Host is (a proxy or the network
 * decides who reaches it).
 */
final class HostCheck {

    private final boolean loopback;

    HostCheck(String bindHost) {
        this.loopback = isLoopback(bindHost);
    }

    /** @throws HttpProblem 421 for a foreign or missing Host on a loopback listener */
    void check(String hostHeader, int boundPort) {
        if (!loopback) {
            return;
        }
        String host = hostHeader == null ? "" : hostHeader.strip().toLowerCase(Locale.ROOT);
        Set<String> allowed = Set.of("127.0.0.1:" + boundPort, "localhost:" + boundPort, "[::1]:" + boundPort);
        if (!allowed.contains(host)) {
            throw new HttpProblem(421, "MISDIRECTED_REQUEST", "this loopback server answers only Host 127.0.0.1:"
                    + boundPort + ", localhost:" + boundPort + " or [::1]:" + boundPort + " (DNS rebinding defence)");
        }
    }

    private static boolean isLoopback(String bindHost) {
        if (bindHost.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(bindHost).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
