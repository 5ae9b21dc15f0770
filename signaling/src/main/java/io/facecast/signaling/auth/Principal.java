package io.facecast.signaling.auth;

import java.util.Set;

/**
 * Who is calling, as established from the bearer credential of one request.
 *
 * @param keyId        the API key behind the credential (quotas and rate limits count per key)
 * @param credentialId "key" for the raw API key, the token's {@code jti} for an access token
 * @param apiKey       the raw API key itself: may create, and act on every session this key created
 * @param mayCreate    the {@code create} grant: may open sessions, and act on the sessions this credential opened
 * @param sessions     the {@code session:<id>} grants: may act on these sessions (of this key) only
 */
public record Principal(String keyId, String credentialId, boolean apiKey, boolean mayCreate, Set<String> sessions) {

    static final String KEY_CREDENTIAL = "key";

    /** Everything allowed, for a server started with --insecure-no-auth; still one quota bucket. */
    static final Principal ANONYMOUS = new Principal("anonymous", KEY_CREDENTIAL, true, true, Set.of());

    public Principal {
        sessions = Set.copyOf(sessions);
    }

    static Principal ofKey(ApiKey key) {
        return new Principal(key.id(), KEY_CREDENTIAL, true, true, Set.of());
    }

    /** Whether this caller may act on a session that {@code owner} created. */
    boolean mayUse(String sessionId, SessionOwners.Owner owner) {
        if (!owner.keyId().equals(keyId)) {
            return false; // a key's tokens never reach another key's sessions, whatever they claim
        }
        return apiKey || sessions.contains(sessionId) || (mayCreate && owner.credentialId().equals(credentialId));
    }
}
