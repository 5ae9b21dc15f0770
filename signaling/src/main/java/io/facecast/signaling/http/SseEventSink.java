package io.facecast.signaling.http;

import io.facecast.api.v1.SessionEvent;
import io.facecast.signaling.relay.EventWriters;
import io.facecast.signaling.relay.QueuedEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A browser's {@code EventSource} on one session: each event is one {@code data:} line of proto3 JSON. Writes happen
 * on an event-writer thread ({@link QueuedEventSink}), never on the publisher's, and no listener thread is held while
 * the stream is open. A browser that stops reading is cut once its queue is full or a write stalls (the socket's send
 * buffer is bounded, {@link HttpLimits#SEND_BUFFER_BYTES}, so a stalled write comes soon); a write that fails means the
 * browser went away.
 */
final class SseEventSink extends QueuedEventSink {

    private final Exchange exchange;
    private final OutputStream out;

    SseEventSink(Exchange exchange, String sessionId, int capacity) throws IOException {
        super(sessionId, EventWriters.shared(), capacity, DEFAULT_WRITE_TIMEOUT_NANOS, System::nanoTime);
        this.exchange = exchange;
        exchange.setHeader("Content-Type", "text/event-stream; charset=utf-8");
        exchange.setHeader("Cache-Control", "no-store");
        exchange.setHeader("X-Accel-Buffering", "no");
        this.out = exchange.stream(200);
        // Tells EventSource how long to wait before reconnecting, and gets the headers to the browser now.
        write("retry: 2000\n\n");
    }

    @Override
    protected void write(SessionEvent event) throws IOException {
        write("data: " + ProtoJson.print(event) + "\n\n");
    }

    /** A comment line that keeps proxies from timing the stream out and finds out when the browser left. */
    @Override
    protected void writeKeepAlive() throws IOException {
        write(": keep-alive\n\n");
    }

    @Override
    protected void end(String failure) {
        if (failure != null) {
            // Writing the last chunk would wait for a client that does not read: the connection is closed instead.
            exchange.abort(failure);
        } else {
            exchange.finish(out);
        }
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
