package io.facecast.signaling.http;

/** CORS headers so a page from another origin (or a WHEP player in a browser) may call the API and read its headers. */
final class Cors {

    private final String origin;

    Cors(String origin) {
        this.origin = origin;
    }

    void apply(Exchange exchange) {
        exchange.setHeader("Access-Control-Allow-Origin", origin);
        if (!"*".equals(origin)) {
            exchange.setHeader("Vary", "Origin");
        }
        // Location/Link/ETag carry the WHEP resource, its ICE servers and its entity tag: the player must read them.
        exchange.setHeader("Access-Control-Expose-Headers", "Location, Link, ETag, Accept-Patch, Accept-Post");
    }

    /** Answers a preflight request. */
    void preflight(Exchange exchange, String allowedMethods) throws java.io.IOException {
        apply(exchange);
        exchange.setHeader("Access-Control-Allow-Methods", allowedMethods);
        exchange.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
        exchange.setHeader("Access-Control-Max-Age", "600");
        exchange.setHeader("Allow", allowedMethods);
        exchange.sendEmpty(204);
    }
}
