package io.facecast.signaling.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP request and its answer, with the few helpers the handlers share. Exactly one of {@link #send},
 * {@link #sendEmpty}, {@link #finish} or {@link #abort} ends it (the listener's callback is completed once).
 */
final class Exchange {

    /** SDP offers and JSON requests are a few kilobytes; anything far larger is refused before it is read. */
    static final int MAX_BODY_BYTES = 128 * 1024;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AtomicBoolean ended = new AtomicBoolean();
    private Map<String, String> query;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    String method() {
        return request.getMethod().toUpperCase(Locale.ROOT);
    }

    /** The decoded path (the listener refused a path that does not decode, with a 400, before any handler ran). */
    String path() {
        String path = Request.getPathInContext(request);
        return path == null ? "/" : path;
    }

    /** A query parameter, decoded; an invalid %-escape in the query is a 400 (not a server error). */
    String query(String name) {
        if (query == null) {
            query = parseQuery(request.getHttpURI().getQuery());
        }
        return query.get(name);
    }

    String header(String name) {
        return request.getHeaders().get(name);
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

    /** The request body as it arrives (blocking reads; a read that stalls past the idle timeout fails). */
    InputStream requestBody() {
        return Content.Source.asInputStream(request);
    }

    String body() throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            // Refused before keeping any of it: what the client sends is read and discarded (up to
            // HttpLimits.DRAIN_BYTES, within the idle timeout) so that it finishes sending and reads the answer
            // instead of getting a reset; then the connection is closed.
            drain(requestBody());
            setHeader("Connection", "close");
            throw tooLarge();
        }
        try (InputStream in = requestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    drain(in);
                    setHeader("Connection", "close");
                    throw tooLarge();
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void drain(InputStream in) {
        byte[] sink = new byte[64 * 1024];
        long total = 0;
        try (in) {
            int n;
            while (total < HttpLimits.DRAIN_BYTES && (n = in.read(sink)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // the client gave up: the answer may still reach it
        }
    }

    private static HttpProblem tooLarge() {
        return new HttpProblem(413, "PAYLOAD_TOO_LARGE", "request body is over " + MAX_BODY_BYTES
                + " bytes; an SDP offer or JSON request is a few kilobytes");
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    boolean committed() {
        return response.isCommitted();
    }

    /** Whether the answer was sent (or the exchange ended otherwise). */
    boolean ended() {
        return ended.get();
    }

    void send(int status, String contentType, String body) {
        if (contentType != null) {
            setHeader("Content-Type", contentType);
        }
        setHeader("Cache-Control", "no-store");
        send(status, body.getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] bytes) {
        setHeader("Content-Type", contentType);
        send(status, bytes);
    }

    void sendEmpty(int status) {
        send(status, new byte[0]);
    }

    private void send(int status, byte[] bytes) {
        if (!ended.compareAndSet(false, true)) {
            throw new IllegalStateException("answered twice");
        }
        response.setStatus(status);
        closeUnlessBodyConsumed();
        // One write with last=true: Jetty sets Content-Length itself. The callback completes when the answer is written (or fails, and the listener closes the connection).
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Starts a streamed answer (status and headers go out with the first write): the caller writes and then calls
     * {@link #finish} or {@link #abort}. Writes block while the client does not read (see {@link HttpLimits}).
     */
    OutputStream stream(int status) {
        response.setStatus(status);
        closeUnlessBodyConsumed();
        return Content.Sink.asOutputStream(response);
    }

    /**
     * An answer sent before the request's body was read (a 401 before a POST's body arrived, a refusal that never
     * needed it) says {@code Connection: close}: Jetty cannot keep such a connection, and a client told nothing
     * would send its next request on a connection about to close (the JDK client then fails with "header parser
     * received no bytes").
     */
    private void closeUnlessBodyConsumed() {
        if (!request.consumeAvailable()) {
            setHeader("Connection", "close");
        }
    }

    /** Ends a streamed answer normally. */
    void finish(OutputStream out) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            out.close(); // the last chunk
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    /** Ends the exchange without a proper end: the connection is closed at once (a write blocked on it fails). */
    void abort(String why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        callback.failed(new IOException(why));
        endPoint.close();
    }

    /** For the listener: fails the exchange with what went wrong (the connection is closed). */
    void fail(Throwable failure) {
        if (ended.compareAndSet(false, true)) {
            callback.failed(failure);
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        try {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
                String value = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
                values.putIfAbsent(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("the query has an invalid %-escape: " + e.getMessage()
                    + "; escape '%' as %25");
        }
        return values;
    }
}
