package io.facecast.signaling.ice;

import io.facecast.api.v1.IceServer;
import io.facecast.signaling.session.IceServerSource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials per session, the "TURN REST API" scheme coturn checks with {@code use-auth-secret}:
 * username = {@code <expiry unix seconds>:<session id>}, password = base64(HMAC-SHA1(shared secret, username)).
 * The TURN server needs only the shared secret; a leaked credential stops working at its expiry.
 */
public final class TurnRestCredentials implements IceServerSource {

    private final List<IceServer> staticServers;
    private final List<String> turnUrls;
    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;
    private final boolean relayOnly;

    /**
     * @param staticServers servers handed out as they are (STUN, or TURN with fixed credentials)
     * @param turnUrls      TURN urls that get fresh credentials per session (turn:host:3478?transport=udp ...)
     * @param secret        coturn's static-auth-secret
     */
    public TurnRestCredentials(List<IceServer> staticServers, List<String> turnUrls, String secret, Duration ttl,
            Clock clock, boolean relayOnly) {
        if (!turnUrls.isEmpty() && (secret == null || secret.isEmpty())) {
            throw new IllegalArgumentException("TURN urls with REST credentials need a shared secret (--turn-secret)");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("TURN credential lifetime must be positive, got " + ttl);
        }
        this.staticServers = List.copyOf(staticServers);
        this.turnUrls = List.copyOf(turnUrls);
        this.key = turnUrls.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.ttl = ttl;
        this.clock = clock;
        this.relayOnly = relayOnly;
    }

    @Override
    public List<IceServer> forSession(String sessionId) {
        List<IceServer> servers = new ArrayList<>(staticServers);
        if (!turnUrls.isEmpty()) {
            long expiry = clock.instant().plus(ttl).getEpochSecond();
            String username = expiry + ":" + sessionId;
            servers.add(IceServer.newBuilder().addAllUrls(turnUrls).setUsername(username).setCredential(password(username))
                    .build());
        }
        return servers;
    }

    @Override
    public boolean relayOnly() {
        return relayOnly;
    }

    /** base64(HMAC-SHA1(secret, username)), exactly what coturn computes for use-auth-secret. */
    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
        }
    }
}
