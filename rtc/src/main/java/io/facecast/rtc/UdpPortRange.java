package io.facecast.rtc;

import dev.onvoid.webrtc.PortAllocatorConfig;

/**
 * The local UDP ports a peer connection may take for its ICE candidates. A firewall or a Kubernetes pod that
 * declares its media ports needs media confined to a known range; {@link #ANY} leaves the choice to the system
 * (an ephemeral port per candidate).
 */
public record UdpPortRange(int min, int max) {
    public static final UdpPortRange ANY = new UdpPortRange(0, 0);

    public UdpPortRange {
        boolean any = min == 0 && max == 0;
        if (!any && (min < 1024 || max > 65535 || min > max)) {
            throw new IllegalArgumentException("a UDP port range is MIN-MAX with 1024 <= MIN <= MAX <= 65535, not "
                    + min + "-" + max);
        }
    }

    /** "40000-40999", a single port "40000", or "" / "any" for {@link #ANY}. */
    public static UdpPortRange parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("any")) {
            return ANY;
        }
        String[] parts = t.split("-", -1);
        try {
            if (parts.length == 1) {
                int port = Integer.parseInt(parts[0].trim());
                return new UdpPortRange(port, port);
            }
            if (parts.length == 2) {
                return new UdpPortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("a UDP port range is MIN-MAX (e.g. 40000-40999), not '" + text + "'");
    }

    public boolean isAny() {
        return min == 0 && max == 0;
    }

    public boolean contains(int port) {
        return isAny() || (port >= min && port <= max);
    }

    /** The native allocator's view: null (its defaults) for {@link #ANY}. */
    PortAllocatorConfig toNative() {
        return isAny() ? null : new PortAllocatorConfig(min, max, 0);
    }

    @Override
    public String toString() {
        return isAny() ? "any" : min + "-" + max;
    }
}
