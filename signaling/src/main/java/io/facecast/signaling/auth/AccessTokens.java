package io.facecast.signaling.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Access tokens: JWTs signed HS256 with an API key's secret (the LiveKit scheme). Header {@code kid} and claim
 * {@code iss} name the key; {@code grants} lists {@code "create"} and/or {@code "session:<id>"}; {@code exp} is
 * required and at most {@link #MAX_TTL} ahead; {@code jti} names the token (the sessions a {@code create} token
 * opens are reachable with that same token). Anyone holding the key may mint tokens with any JWT library; signaling
 * mints them for CreateSession and {@code POST /api/tokens}. Verification uses the injected clock.
 */
public final class AccessTokens {

    public static final Duration MAX_TTL = Duration.ofHours(24);
    /** Tolerated clock difference for tokens minted on another machine. */
    static final Duration LEEWAY = Duration.ofSeconds(30);
    static final int MAX_TOKEN_CHARS = 4096;
    static final String GRANTS = "grants";
    static final String CREATE = "create";
    static final String SESSION = "session:";

    private final Map<String, ApiKey> keys;
    private final Clock clock;

    public AccessTokens(List<ApiKey> keys, Clock clock) {
        this.keys = keys.stream().collect(Collectors.toUnmodifiableMap(ApiKey::id, Function.identity(), (a, b) -> a));
        this.clock = clock;
    }

    /** A token of {@code key} with these grants, valid for {@code ttl} from now. */
    public String mint(ApiKey key, List<String> grants, Duration ttl) {
        checkGrants(grants);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("token lifetime must be between 1 s and " + MAX_TTL.toHours() + " h");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(key.id())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim(GRANTS, List.copyOf(grants))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(key.id()).build(),
                claims);
        try {
            jwt.sign(new MACSigner(key.secret()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign an access token", e);
        }
        return jwt.serialize();
    }

    /** The key of this id, if signaling knows it. */
    ApiKey key(String id) {
        return keys.get(id);
    }

    /**
     * Checks signature, key, expiry and grants.
     *
     * @throws io.grpc.StatusRuntimeException UNAUTHENTICATED, with a reason that never repeats the token
     */
    public Principal verify(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw AccessErrors.unauthenticated("the access token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw AccessErrors.unauthenticated("the bearer credential is neither a Facecast API key nor a signed JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw AccessErrors.unauthenticated("access tokens must be signed HS256, not " + jwt.getHeader().getAlgorithm());
        }
        String keyId = jwt.getHeader().getKeyID() != null ? jwt.getHeader().getKeyID() : claims.getIssuer();
        ApiKey key = keyId == null ? null : keys.get(keyId);
        if (key == null) {
            throw AccessErrors.unauthenticated("the access token names no API key this server knows");
        }
        if (claims.getIssuer() != null && !claims.getIssuer().equals(keyId)) {
            throw AccessErrors.unauthenticated("the access token's kid and iss name different keys");
        }
        try {
            if (!jwt.verify(new MACVerifier(key.secret()))) { // constant-time MAC comparison inside
                throw AccessErrors.unauthenticated("the access token's signature is not valid");
            }
        } catch (JOSEException e) {
            throw AccessErrors.unauthenticated("the access token's signature could not be checked");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw AccessErrors.unauthenticated("the access token has no expiry (exp)");
        }
        if (!now.isBefore(exp.toInstant().plus(LEEWAY))) {
            throw AccessErrors.unauthenticated("the access token expired at " + exp.toInstant());
        }
        if (exp.toInstant().isAfter(now.plus(MAX_TTL).plus(LEEWAY))) {
            throw AccessErrors.unauthenticated("the access token lives longer than " + MAX_TTL.toHours() + " h");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(LEEWAY).isBefore(nbf.toInstant())) {
            throw AccessErrors.unauthenticated("the access token is not valid before " + nbf.toInstant());
        }
        List<String> grants;
        try {
            grants = claims.getStringListClaim(GRANTS);
        } catch (ParseException e) {
            throw AccessErrors.unauthenticated("the access token's grants claim is not a list of strings");
        }
        if (grants == null || grants.isEmpty()) {
            throw AccessErrors.unauthenticated("the access token grants nothing (claim 'grants')");
        }
        try {
            checkGrants(grants);
        } catch (IllegalArgumentException e) {
            throw AccessErrors.unauthenticated(e.getMessage());
        }
        Set<String> sessions = new HashSet<>();
        boolean create = false;
        for (String grant : grants) {
            if (grant.equals(CREATE)) {
                create = true;
            } else {
                sessions.add(grant.substring(SESSION.length()));
            }
        }
        String jti = claims.getJWTID();
        // Without a jti a create token still creates, but cannot reach what it created (only a session token can).
        String credential = jti == null || jti.isBlank() ? "jwt-" + UUID.randomUUID() : "jwt-" + jti;
        return new Principal(key.id(), credential, false, create, sessions);
    }

    static void checkGrants(List<String> grants) {
        for (String grant : grants) {
            if (grant == null || !(grant.equals(CREATE)
                    || (grant.startsWith(SESSION) && grant.length() > SESSION.length() && grant.length() <= SESSION.length() + 128))) {
                throw new IllegalArgumentException("unknown grant '" + (grant == null ? "" : grant.substring(0, Math.min(grant.length(), 40)))
                        + "'; grants are 'create' and 'session:<id>'");
            }
        }
    }
}
