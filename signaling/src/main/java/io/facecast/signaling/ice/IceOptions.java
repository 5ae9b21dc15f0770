package io.facecast.signaling.ice;

import java.time.Duration;
import java.util.List;

/**
 * How sessions get TURN: urls that receive per-session REST credentials signed with a shared secret, their
 * lifetime, and whether both ends must use relays only.
 */
public record IceOptions(List<String> turnUrls, String turnSecret, Duration credentialTtl, boolean relayOnly) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    public IceOptions {
        turnUrls = List.copyOf(turnUrls);
        turnSecret = turnSecret == null ? "" : turnSecret;
    }

    public static IceOptions none() {
        return new IceOptions(List.of(), "", DEFAULT_TTL, false);
    }
}
