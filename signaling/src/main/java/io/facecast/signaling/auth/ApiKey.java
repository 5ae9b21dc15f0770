package io.facecast.signaling.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API key: {@code fck_<id>_<secret>}, a public id (12 hex digits: names the key in tokens, logs and quotas) and
 * a secret (32 random bytes, base64url). The secret signs the key's access tokens (HS256), so whoever holds the
 * key can mint tokens itself, as LiveKit's server SDKs do; signaling holds the same string to verify them.
 * {@link #toString()} never shows the secret.
 */
public final class ApiKey {

    public static final String PREFIX = "fck_";
    private static final Pattern FORMAT = Pattern.compile("fck_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

    private final String id;
    private final byte[] secret;
    private final String value;

    private ApiKey(String id, byte[] secret, String value) {
        this.id = id;
        this.secret = secret;
        this.value = value;
    }

    /** @throws IllegalArgumentException when the text is not a key of this format (the message never echoes it) */
    public static ApiKey parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Facecast API key (expected fck_<12 hex digits>_<43 base64url characters>)");
        }
        return new ApiKey(m.group(1), Base64.getUrlDecoder().decode(m.group(2)), m.group());
    }

    /** True when the text has the shape of an API key (tells a raw key from a JWT in an Authorization header). */
    static boolean looksLikeKey(String text) {
        return text.startsWith(PREFIX);
    }

    public static ApiKey generate(SecureRandom random) {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        return parse(PREFIX + HexFormat.of().formatHex(id) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    public String id() {
        return id;
    }

    /** The HMAC key for this key's tokens (256 bits). */
    byte[] secret() {
        return secret.clone();
    }

    /** The whole key, secret included: for files and Authorization headers only. */
    public String value() {
        return value;
    }

    byte[] valueBytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + "]";
    }
}
