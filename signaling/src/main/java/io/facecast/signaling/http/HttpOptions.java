package io.facecast.signaling.http;

/**
 * The browser-facing HTTP listener: WHEP, the JSON session API, server-sent events and the demo page. Requests are
 * authenticated by the one public auth system ({@link io.facecast.signaling.auth.PublicAccess}), as gRPC is.
 *
 * @param host       address to listen on
 * @param port       port to listen on; 0 picks a free one; negative disables the listener
 * @param corsOrigin the one origin other than the page's own that may call the API from a browser
 *                   (Access-Control-Allow-Origin); empty: CORS closed, only same-origin pages
 */
public record HttpOptions(String host, int port, String corsOrigin) {

    public static final int DEFAULT_PORT = 8080;

    public HttpOptions {
        corsOrigin = corsOrigin == null ? "" : corsOrigin.strip();
    }

    public static HttpOptions disabled() {
        return new HttpOptions("127.0.0.1", -1, "");
    }

    public boolean enabled() {
        return port >= 0;
    }
}
