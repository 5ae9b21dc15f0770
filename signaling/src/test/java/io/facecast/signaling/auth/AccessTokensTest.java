package io.facecast.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Minting and checking access tokens on an injected clock: signature, key, expiry, grants. */
class AccessTokensTest {

    static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = T0;

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    final SecureRandom random = new SecureRandom();
    final ApiKey key = ApiKey.generate(random);
    final ApiKey other = ApiKey.generate(random);
    final MovingClock clock = new MovingClock();
    final AccessTokens tokens = new AccessTokens(List.of(key), clock);

    static String unauthenticated(org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        return e.getStatus().getDescription();
    }

    @Test
    void aMintedTokenCarriesItsKeyAndGrantsUntilItExpires() {
        String token = tokens.mint(key, List.of("create", "session:abc"), Duration.ofMinutes(10));
        Principal p = tokens.verify(token);
        assertEquals(key.id(), p.keyId());
        assertTrue(p.mayCreate());
        assertFalse(p.apiKey());
        assertEquals(Set.of("abc"), p.sessions());
        assertFalse(token.contains(key.value().substring(17)), "the secret never appears in a token");

        clock.now = T0.plus(Duration.ofMinutes(10)).plus(AccessTokens.LEEWAY).minusSeconds(1);
        tokens.verify(token); // still within the leeway
        clock.now = T0.plus(Duration.ofMinutes(10)).plus(AccessTokens.LEEWAY);
        assertTrue(unauthenticated(() -> tokens.verify(token)).contains("expired"));
    }

    @Test
    void aTokenSignedByAnotherOrAnUnknownKeyOrTamperedWithIsRefused() throws Exception {
        AccessTokens otherServer = new AccessTokens(List.of(other), clock);
        String foreign = otherServer.mint(other, List.of("create"), Duration.ofMinutes(5));
        assertTrue(unauthenticated(() -> tokens.verify(foreign)).contains("names no API key"));

        // Same kid, wrong secret: a forgery.
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.id()).build(),
                new JWTClaimsSet.Builder().issuer(key.id()).expirationTime(Date.from(T0.plusSeconds(60)))
                        .claim("grants", List.of("create")).build());
        forged.sign(new MACSigner(other.secret()));
        assertTrue(unauthenticated(() -> tokens.verify(forged.serialize())).contains("signature"));

        // A valid token whose grants were edited.
        String good = tokens.mint(key, List.of("session:a"), Duration.ofMinutes(5));
        String[] parts = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("session:a", "session:b");
        String edited = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertTrue(unauthenticated(() -> tokens.verify(edited)).contains("signature"));

        // alg=none and garbage.
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + parts[1] + ".";
        unauthenticated(() -> tokens.verify(none));
        unauthenticated(() -> tokens.verify("not-a-jwt"));
        unauthenticated(() -> tokens.verify("x".repeat(AccessTokens.MAX_TOKEN_CHARS + 1)));
    }

    @Test
    void selfMintedTokensMustExpireWithinADayAndGrantSomethingKnown() throws Exception {
        String forever = selfMinted(T0.plus(Duration.ofDays(30)), List.of("create"));
        assertTrue(unauthenticated(() -> tokens.verify(forever)).contains("longer than 24 h"));
        String noExp = selfMinted(null, List.of("create"));
        assertTrue(unauthenticated(() -> tokens.verify(noExp)).contains("no expiry"));
        String admin = selfMinted(T0.plusSeconds(60), List.of("admin"));
        assertTrue(unauthenticated(() -> tokens.verify(admin)).contains("unknown grant 'admin'"));
        String nothing = selfMinted(T0.plusSeconds(60), List.of());
        assertTrue(unauthenticated(() -> tokens.verify(nothing)).contains("grants nothing"));
        // A key holder minting its own token with any JWT library (the LiveKit way) is accepted.
        Principal p = tokens.verify(selfMinted(T0.plusSeconds(60), List.of("session:s1")));
        assertEquals(Set.of("s1"), p.sessions());
        assertFalse(p.mayCreate());
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(key, List.of("create"), Duration.ofDays(2)));
    }

    private String selfMinted(Instant exp, List<String> grants) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(key.id()).claim("grants", grants);
        if (exp != null) {
            claims.expirationTime(Date.from(exp));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.id()).build(), claims.build());
        jwt.sign(new MACSigner(key.secret()));
        return jwt.serialize();
    }

    @Test
    void apiKeysParseStrictlyAndNeverPrintTheirSecret() {
        assertEquals(key.id(), ApiKey.parse(key.value()).id());
        assertFalse(key.toString().contains(key.value()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKey.parse("fck_123_secret"));
        assertFalse(e.getMessage().contains("secret"), "the refusal does not echo the text");
    }

    @Test
    void aMissingKeyFileIsCreatedOwnerOnlyAndReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state").resolve("api-key");
        List<ApiKey> created = ApiKeyFile.loadOrCreate(file, random);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(created.get(0).value(), ApiKeyFile.loadOrCreate(file, random).get(0).value(), "kept, not replaced");
        Files.writeString(file, "# comment\n\nnot-a-key\n");
        assertTrue(assertThrows(java.io.IOException.class, () -> ApiKeyFile.load(file)).getMessage().contains("line 3"));
    }
}
