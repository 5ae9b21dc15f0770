package io.facecast.signaling.http;

import io.facecast.api.v1.SessionEvent;
import io.facecast.signaling.relay.EventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A browser's {@code EventSource} on one session: each event is one {@code data:} line of proto3 JSON. A write that
 * fails means the browser went away; the sink then reports itself gone so it is dropped and unsubscribed.
 */
final class SseEventSink implements EventSink {

    private final Exchange exchange;
    private final OutputStream out;
    private boolean closed;

    SseEventSink(Exchange exchange) throws IOException {
        this.exchange = exchange;
        exchange.setHeader("Content-Type", "text/event-stream; charset=utf-8");
        exchange.setHeader("Cache-Control", "no-store");
        exchange.setHeader("X-Accel-Buffering", "no");
        exchange.http.sendResponseHeaders(200, 0);
        this.out = exchange.http.getResponseBody();
        // Tells EventSource how long to wait before reconnecting, and gets the headers to the browser now.
        write("retry: 2000\n\n");
    }

    @Override
    public synchronized void send(SessionEvent event) {
        if (closed) {
            throw new IllegalStateException("event stream is closed");
        }
        try {
            write("data: " + ProtoJson.print(event) + "\n\n");
        } catch (IOException e) {
            // The fanout drops a sink that throws; it runs under the session's lock, so nothing else is called from here.
            gone();
            throw new IllegalStateException("browser went away: " + e.getMessage());
        }
    }

    /**
     * A comment line that keeps proxies from timing the stream out and finds out when the browser left.
     *
     * @return false when the stream is over (the caller then unsubscribes, outside this sink's lock)
     */
    synchronized boolean keepAlive() {
        if (closed) {
            return false;
        }
        try {
            write(": keep-alive\n\n");
            return true;
        } catch (IOException e) {
            gone();
            return false;
        }
    }

    @Override
    public synchronized void complete() {
        if (!closed) {
            closed = true;
            exchange.http.close();
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void gone() {
        closed = true;
        exchange.http.close();
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
