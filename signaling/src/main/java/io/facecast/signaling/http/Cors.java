package io.facecast.signaling.http;

/**
 * CORS, closed unless an origin is configured: then a page from that one origin (or a WHEP player there) may call
 * the API and read its headers. Without it a browser lets only the signaling's own page (same origin) read answers.
 */
final class Cors {

    private final String origin;

    Cors(String origin) {
        this.origin = origin;
    }

    boolean open() {
        return !origin.isEmpty();
    }

    void apply(Exchange exchange) {
        if (!open()) {
            return;
        }
        exchange.setHeader("Access-Control-Allow-Origin", origin);
        if (!"*".equals(origin)) {
            exchange.setHeader("Vary", "Origin");
        }
        // Location/Link/ETag carry the WHEP resource, its ICE servers and its entity tag: the player must read them.
        exchange.setHeader("Access-Control-Expose-Headers",
                "Location, Link, ETag, Accept-Patch, Accept-Post, Retry-After, " + WhepHandler.SESSION_TOKEN_HEADER);
    }

    /** Answers a preflight request (without CORS headers when closed: the browser then refuses the real request). */
    void preflight(Exchange exchange, String allowedMethods) throws java.io.IOException {
        apply(exchange);
        if (open()) {
            exchange.setHeader("Access-Control-Allow-Methods", allowedMethods);
            exchange.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
            exchange.setHeader("Access-Control-Max-Age", "600");
        }
        exchange.setHeader("Allow", allowedMethods);
        exchange.sendEmpty(204);
    }
}
