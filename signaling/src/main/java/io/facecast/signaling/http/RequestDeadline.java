package io.facecast.signaling.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slowloris cut: once a byte of a request has arrived on a connection, its line and headers must be complete (a
 * handler started) within {@link #limitNanos}, or the connection is closed. The idle timeout alone would let a client
 * hold a connection for ever by sending one byte every few seconds.
 *
 * <p>Rules: each open connection is watched from {@link #onOpened} to {@link #onClosed}. While a request is handled
 * (from {@link #started} until its callback completes, event streams included) nothing is cut. Otherwise, a connection
 * whose byte count grew since its last answer (or since it opened) is "mid-request" from the first {@link #sweep}
 * that sees the growth; a sweep that finds it still mid-request after the limit closes it. With a sweep a second, a
 * connection is cut between the limit and the limit plus two seconds after its first byte.
 */
final class RequestDeadline implements Connection.Listener {

    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

    private final long limitNanos;
    private final LongSupplier nanoTime;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();

    private static final class Watch {
        volatile boolean handling;
        volatile long bytesAtRest;
        volatile long pendingSince = -1;
    }

    RequestDeadline(long limitSeconds, LongSupplier nanoTime) {
        this.limitNanos = TimeUnit.SECONDS.toNanos(limitSeconds);
        this.nanoTime = nanoTime;
    }

    @Override
    public void onOpened(Connection connection) {
        watched.put(connection, new Watch());
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    /** A request's head is complete and a handler runs: returns the callback to pass on, which ends the request. */
    Callback started(Connection connection, Callback callback) {
        Watch watch = watched.get(connection);
        if (watch == null) {
            return callback;
        }
        watch.handling = true;
        watch.pendingSince = -1;
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                rest(connection, watch);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                rest(connection, watch);
                super.failed(x);
            }
        };
    }

    private static void rest(Connection connection, Watch watch) {
        watch.bytesAtRest = connection.getBytesIn();
        watch.pendingSince = -1;
        watch.handling = false;
    }

    /** Closes the connections whose request head is overdue; runs about once a second. */
    void sweep() {
        long now = nanoTime.getAsLong();
        watched.forEach((connection, watch) -> {
            if (watch.handling) {
                return;
            }
            if (connection.getBytesIn() <= watch.bytesAtRest) {
                watch.pendingSince = -1;
            } else if (watch.pendingSince < 0) {
                watch.pendingSince = now;
            } else if (now - watch.pendingSince > limitNanos) {
                log.info("closing an HTTP connection from {}: its request's line and headers did not arrive within {} s",
                        connection.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toSeconds(limitNanos));
                watched.remove(connection);
                connection.getEndPoint().close();
            }
        });
    }

    /** Connections watched (for tests). */
    int size() {
        return watched.size();
    }
}
