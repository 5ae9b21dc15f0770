package io.facecast.signaling.http;

/**
 * The browser-facing HTTP listener: WHEP, the JSON session API, server-sent events and the demo page.
 *
 * @param host       address to listen on
 * @param port       port to listen on; 0 picks a free one; negative disables the listener
 * @param token      bearer token every API and WHEP request must carry; empty means no authentication
 * @param corsOrigin value of Access-Control-Allow-Origin ("*" lets any page call the API)
 */
public record HttpOptions(String host, int port, String token, String corsOrigin) {

    public static final int DEFAULT_PORT = 8080;

    public HttpOptions {
        token = token == null ? "" : token;
        corsOrigin = corsOrigin == null || corsOrigin.isBlank() ? "*" : corsOrigin;
    }

    public static HttpOptions disabled() {
        return new HttpOptions("127.0.0.1", -1, "", "*");
    }

    public boolean enabled() {
        return port >= 0;
    }
}
