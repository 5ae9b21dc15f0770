package io.facecast.signaling.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Bounds on the HTTP listener, so slow or many clients cannot take it over.
 *
 * <ul>
 *   <li>Threads: at most {@link #THREADS} handle requests at once; the others wait for one. At most
 *       {@link #MAX_CONNECTIONS} connections are open (beyond that new ones wait in the kernel's accept backlog), so
 *       what waits is bounded too. Event streams do not hold a handler thread (their writes run on the event
 *       writers).</li>
 *   <li>Request head: its line and headers together are at most {@link #MAX_HEAD_BYTES} (a longer URI is 414, longer
 *       headers 431, both with the JSON error body); once a byte of it has arrived, the rest must follow within
 *       {@link #MAX_REQUEST_SECONDS} ({@link RequestDeadline}): slowloris connections are cut.</li>
 *   <li>Idle: a connection on which nothing moves for {@link #IDLE_SECONDS} is closed, between requests and during
 *       one (a body that stops arriving, a write the client does not take). Event streams write a keep-alive every
 *       15 s, so a healthy idle stream is never cut.</li>
 *   <li>Writes: the socket's send buffer is {@link #SEND_BUFFER_BYTES} (fixed, not auto-tuned), so a client that does
 *       not read blocks a write after about that much plus its own receive window, instead of after megabytes; an
 *       event stream then cuts the stalled write within 10 s ({@code QueuedEventSink}), at the latest at the idle
 *       timeout.</li>
 *   <li>Bodies: JSON and SDP at most {@link Exchange#MAX_BODY_BYTES}; a larger one is read and discarded up to
 *       {@link #DRAIN_BYTES} so the client gets the 413 instead of a reset. Audio uploads stream.</li>
 * </ul>
 */
final class HttpLimits {

    static final int THREADS = 32;
    static final int MAX_CONNECTIONS = 1024;
    static final int MAX_REQUEST_SECONDS = 10;
    static final int IDLE_SECONDS = 30;
    static final int DRAIN_BYTES = 16 << 20;
    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int SEND_BUFFER_BYTES = 32 * 1024;
    /** The acceptor and selector threads Jetty takes from the same pool. */
    private static final int IO_THREADS = 4;

    private HttpLimits() {}

    static QueuedThreadPool boundedPool() {
        QueuedThreadPool pool = new QueuedThreadPool(THREADS + IO_THREADS, 2, 60_000);
        pool.setName("signaling-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        return pool;
    }

    static HttpConfiguration configuration() {
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(MAX_HEAD_BYTES);
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        return config;
    }

    static void apply(Server server, ServerConnector connector) {
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        connector.setIdleTimeout(IDLE_SECONDS * 1000L);
        connector.setAcceptQueueSize(64);
        connector.setAcceptedSendBufferSize(SEND_BUFFER_BYTES);
    }
}
