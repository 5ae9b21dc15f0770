package io.facecast.signaling.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** One HTTP request and its answer, with the few helpers the handlers share. */
final class Exchange {

    /** SDP offers and JSON requests are a few kilobytes; anything far larger is refused before it is read. */
    static final int MAX_BODY_BYTES = 128 * 1024;

    final HttpExchange http;
    private final Map<String, String> query;

    Exchange(HttpExchange http) {
        this.http = http;
        this.query = parseQuery(http.getRequestURI().getRawQuery());
    }

    String method() {
        return http.getRequestMethod().toUpperCase(Locale.ROOT);
    }

    String path() {
        return http.getRequestURI().getPath();
    }

    String query(String name) {
        return query.get(name);
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    /** The media type of the body without parameters, lower case; null when absent. */
    String contentType() {
        String value = header("Content-Type");
        if (value == null) {
            return null;
        }
        int semicolon = value.indexOf(';');
        return (semicolon >= 0 ? value.substring(0, semicolon) : value).strip().toLowerCase(Locale.ROOT);
    }

    void requireContentType(String expected) {
        if (!expected.equals(contentType())) {
            throw HttpProblem.unsupportedMediaType(header("Content-Type"), expected);
        }
    }

    String body() throws IOException {
        String declared = header("Content-Length");
        if (declared != null && declared.strip().matches("[0-9]{1,18}") && Long.parseLong(declared.strip()) > MAX_BODY_BYTES) {
            // Refused before reading: the answer goes out at once; the server then discards what the client still sends
            // (up to HttpLimits.DRAIN_BYTES) and closes the connection.
            setHeader("Connection", "close");
            throw tooLarge();
        }
        try (InputStream in = http.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    setHeader("Connection", "close");
                    throw tooLarge();
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static HttpProblem tooLarge() {
        return new HttpProblem(413, "PAYLOAD_TOO_LARGE", "request body is over " + MAX_BODY_BYTES
                + " bytes; an SDP offer or JSON request is a few kilobytes");
    }

    void setHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    void addHeader(String name, String value) {
        http.getResponseHeaders().add(name, value);
    }

    void send(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            setHeader("Content-Type", contentType);
        }
        setHeader("Cache-Control", "no-store");
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }
        http.close();
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        setHeader("Content-Type", contentType);
        http.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
        http.close();
    }

    void sendEmpty(int status) throws IOException {
        http.sendResponseHeaders(status, -1);
        http.close();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
            String value = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
            values.putIfAbsent(name, value);
        }
        return values;
    }
}
