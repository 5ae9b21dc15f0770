package io.facecast.signaling.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds on the HTTP listener, so slow or many clients cannot take it over.
 *
 * <ul>
 *   <li>Threads: at most {@link #THREADS} handle requests, with at most {@link #QUEUED} accepted connections waiting;
 *       beyond that the JDK server closes new connections at once. Event streams do not hold a handler thread (their
 *       writes run on the event writers).</li>
 *   <li>Read timeout: a request's line, headers and body must arrive within {@link #MAX_REQUEST_SECONDS} of its first
 *       byte ({@code sun.net.httpserver.maxReqTime}); a connection that sends nothing, or idles between requests, is
 *       closed after {@link #IDLE_SECONDS} ({@code sun.net.httpserver.idleInterval}). Slowloris connections are cut.</li>
 *   <li>Write timeout: answers are a few kilobytes and fit in the socket buffer; event streams cut a write that has
 *       not finished within 10 s ({@code QueuedEventSink}). The JDK's response timeout
 *       ({@code sun.net.httpserver.maxRspTime}) is not used: it would end every event stream after that time.</li>
 * </ul>
 * The JDK reads these properties once, when its first server is created; one set on the command line wins.
 */
final class HttpLimits {

    static final int THREADS = 32;
    static final int QUEUED = 256;
    static final int MAX_REQUEST_SECONDS = 10;
    static final int IDLE_SECONDS = 30;
    static final int DRAIN_BYTES = 16 << 20;
    /** How often the JDK server checks those times. */
    static final int TIMER_MILLIS = 1000;

    private HttpLimits() {}

    static void applyServerTimeouts() {
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.idleInterval", Integer.toString(IDLE_SECONDS));
        setIfAbsent("sun.net.httpserver.timerMillis", Integer.toString(TIMER_MILLIS));
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "100");
        // After refusing an oversized body (413), the server reads and discards up to this much of it before closing,
        // so the client finishes sending and reads the answer instead of getting a reset (bounded by maxReqTime).
        setIfAbsent("sun.net.httpserver.drainAmount", Integer.toString(DRAIN_BYTES));
    }

    static ExecutorService boundedPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED), runnable -> {
                    Thread thread = new Thread(runnable, "signaling-http-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
