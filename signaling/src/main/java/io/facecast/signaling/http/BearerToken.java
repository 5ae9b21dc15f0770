package io.facecast.signaling.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the bearer token (RFC 6750) of a request: the Authorization header, or an {@code access_token} query
 * parameter for the one client that cannot set headers, the browser's EventSource.
 */
final class BearerToken {

    private final byte[] expected;

    BearerToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return expected.length > 0;
    }

    /** @throws HttpProblem 401 when a token is required and missing or wrong */
    void check(String authorizationHeader, String queryToken) {
        if (!required()) {
            return;
        }
        String presented = null;
        if (authorizationHeader != null) {
            String value = authorizationHeader.strip();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new HttpProblem(401, "UNAUTHENTICATED",
                        "the Authorization header must be 'Bearer <token>' (got a " + value.split(" ", 2)[0] + " credential)");
            }
            presented = value.substring(7).strip();
        } else if (queryToken != null) {
            presented = queryToken;
        }
        if (presented == null || presented.isEmpty()) {
            throw new HttpProblem(401, "UNAUTHENTICATED", "a bearer token is required: send 'Authorization: Bearer <token>'");
        }
        if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpProblem(401, "UNAUTHENTICATED", "the bearer token is not valid for this server");
        }
    }
}
