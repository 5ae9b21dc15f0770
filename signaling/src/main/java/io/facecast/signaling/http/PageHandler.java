package io.facecast.signaling.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Serves the demo page: a fixed set of files from the class path, nothing else (no path ever reaches the disk). */
final class PageHandler {

    private static final String ROOT = "/io/facecast/signaling/http/page/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/whep.js", "whep.js",
            "/catalog.js", "catalog.js",
            "/words.js", "words.js",
            "/upload.js", "upload.js");

    private final Map<String, byte[]> contents;

    PageHandler() {
        this.contents = Map.of(
                "index.html", load("index.html"),
                "app.js", load("app.js"),
                "whep.js", load("whep.js"),
                "catalog.js", load("catalog.js"),
                "words.js", load("words.js"),
                "upload.js", load("upload.js"));
    }

    void handle(Exchange exchange) throws IOException {
        String file = FILES.get(exchange.path());
        if (file == null) {
            throw HttpProblem.notFound("no page at " + exchange.path() + "; the demo page is at /");
        }
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(exchange.method(), "GET");
        }
        exchange.setHeader("Cache-Control", "no-cache");
        String type = file.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8";
        exchange.send(200, type, contents.get(file));
    }

    private static byte[] load(String name) {
        try (InputStream in = PageHandler.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("page resource " + ROOT + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
