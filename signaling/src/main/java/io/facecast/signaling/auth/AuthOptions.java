package io.facecast.signaling.auth;

import java.time.Duration;
import java.util.List;

/**
 * How the public API authenticates and limits callers.
 *
 * @param enabled            false only with --insecure-no-auth (tests, a trusted network): every caller is one
 *                           anonymous key that may do everything, still under the quota and rate limit
 * @param keys               the API keys signaling accepts (raw, and as signers of access tokens)
 * @param sessionQuota       open sessions per key
 * @param requestsPerSecond  sustained requests per key (gRPC calls and HTTP requests alike)
 * @param burst              requests a key may make at once
 * @param sessionTokenTtl    lifetime of the session token CreateSession returns; the session's TURN credentials
 *                           expire with it
 */
public record AuthOptions(boolean enabled, List<ApiKey> keys, int sessionQuota, double requestsPerSecond, int burst,
        Duration sessionTokenTtl) {

    public static final int DEFAULT_SESSION_QUOTA = 4;
    public static final double DEFAULT_REQUESTS_PER_SECOND = 20;
    public static final int DEFAULT_BURST = 40;
    public static final Duration DEFAULT_SESSION_TOKEN_TTL = Duration.ofMinutes(60);

    public AuthOptions {
        keys = List.copyOf(keys);
        if (enabled && keys.isEmpty()) {
            throw new IllegalArgumentException("auth is on but no API key is configured");
        }
        if (sessionQuota < 1) {
            throw new IllegalArgumentException("the session quota per key must be at least 1");
        }
        if (sessionTokenTtl.isNegative() || sessionTokenTtl.isZero() || sessionTokenTtl.compareTo(AccessTokens.MAX_TTL) > 0) {
            throw new IllegalArgumentException("the session token lifetime must be between 1 s and 24 h");
        }
    }

    public static AuthOptions withKeys(List<ApiKey> keys) {
        return new AuthOptions(true, keys, DEFAULT_SESSION_QUOTA, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST,
                DEFAULT_SESSION_TOKEN_TTL);
    }

    public static AuthOptions insecure() {
        return new AuthOptions(false, List.of(), DEFAULT_SESSION_QUOTA, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST,
                DEFAULT_SESSION_TOKEN_TTL);
    }

    public AuthOptions withLimits(int quota, double perSecond, int burstSize) {
        return new AuthOptions(enabled, keys, quota, perSecond, burstSize, sessionTokenTtl);
    }

    public AuthOptions withSessionTokenTtl(Duration ttl) {
        return new AuthOptions(enabled, keys, sessionQuota, requestsPerSecond, burst, ttl);
    }
}
