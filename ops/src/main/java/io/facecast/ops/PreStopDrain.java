package io.facecast.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A Kubernetes {@code preStop} hook for a node's containers, run inside the container with the image's own Java (the
 * images have no shell and no curl): {@code POST /drain} to a process's ops port, then poll the streamer's
 * {@code /metrics} until its {@code facecast_streamer_sessions} gauge is 0 (or the streamer is gone), then return so
 * the kubelet sends SIGTERM. Exit 0 when drained, 1 when {@code --timeout} passed first (the kubelet then signals
 * anyway; {@code terminationGracePeriodSeconds} must be longer than the timeout).
 *
 * <pre>
 * java -cp /app/app.jar io.facecast.ops.PreStopDrain --drain-port 9471 --wait-port 9471 --timeout 3600
 * </pre>
 *
 * <p>The ops listener binds the process's {@code --host} (the pod's address under host networking) and accepts
 * {@code /drain} only from a loopback peer; the connection here is made <em>from</em> 127.0.0.1 to that address,
 * which the kernel routes over {@code lo}, so the peer is loopback either way. The host defaults to
 * {@code $POD_IP} (the downward API) when set, else 127.0.0.1. Plain HTTP/1.1 on a socket: nothing else to load.
 */
public final class PreStopDrain {
    /** The streamer's live-session gauge, as Micrometer writes {@code facecast.streamer.sessions}. */
    static final String SESSIONS_GAUGE = "facecast_streamer_sessions";

    private final String host;
    private final int drainPort;
    private final int waitPort;
    private final long timeoutNanos;
    private final long pollMillis;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final StringBuilder log = new StringBuilder();

    /** How the wait between polls passes (a test passes one that only advances a fake clock). */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    PreStopDrain(String host, int drainPort, int waitPort, long timeoutSeconds, long pollMillis, LongSupplier nanoTime,
                 Sleeper sleeper) {
        this.host = host;
        this.drainPort = drainPort;
        this.waitPort = waitPort;
        this.timeoutNanos = timeoutSeconds * 1_000_000_000L;
        this.pollMillis = pollMillis;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    public static void main(String[] args) throws Exception {
        String host = System.getenv().getOrDefault("POD_IP", "127.0.0.1");
        int drainPort = -1;
        int waitPort = -1;
        long timeout = 3600;
        long poll = 2000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host" -> host = value;
                case "--drain-port" -> drainPort = Integer.parseInt(value);
                case "--wait-port" -> waitPort = Integer.parseInt(value);
                case "--timeout" -> timeout = Long.parseLong(value);
                case "--poll-ms" -> poll = Long.parseLong(value);
                default -> {
                    System.err.println("usage: PreStopDrain [--host H] --drain-port P [--wait-port P] [--timeout S]"
                            + " [--poll-ms MS]  (unknown: " + args[i] + ")");
                    System.exit(2);
                }
            }
            i++;
        }
        if (drainPort <= 0 || host == null) {
            System.err.println("PreStopDrain: --drain-port is required");
            System.exit(2);
        }
        PreStopDrain hook = new PreStopDrain(host, drainPort, waitPort > 0 ? waitPort : drainPort, timeout, poll,
                System::nanoTime, Thread::sleep);
        int code = hook.run();
        System.out.print(hook.log);
        System.exit(code);
    }

    /** @return 0 when drained (or nothing was running), 1 when the timeout passed */
    int run() throws InterruptedException {
        long deadline = nanoTime.getAsLong() + timeoutNanos;
        try {
            Response r = request("POST", drainPort, "/drain");
            say("POST /drain on " + host + ":" + drainPort + ": " + r.status + " " + r.body.strip());
        } catch (ConnectException e) {
            say("nothing listens on " + host + ":" + drainPort + ": nothing to drain");
            return 0;
        } catch (IOException e) {
            say("POST /drain on " + host + ":" + drainPort + " failed (" + e.getMessage() + "); waiting anyway");
        }
        while (true) {
            try {
                long sessions = sessions(request("GET", waitPort, "/metrics").body);
                if (sessions == 0) {
                    say("no sessions left on " + host + ":" + waitPort);
                    return 0;
                }
                if (nanoTime.getAsLong() >= deadline) {
                    say("drain timeout: " + sessions + " session(s) still live on " + host + ":" + waitPort);
                    return 1;
                }
            } catch (ConnectException e) {
                say(host + ":" + waitPort + " is gone: drained");
                return 0;
            } catch (IOException e) {
                if (nanoTime.getAsLong() >= deadline) {
                    say("drain timeout; last poll failed: " + e.getMessage());
                    return 1;
                }
            }
            sleeper.sleep(pollMillis);
        }
    }

    String output() {
        return log.toString();
    }

    private void say(String line) {
        log.append("preStop: ").append(line).append('\n');
    }

    /** Sum of the sessions gauge's samples; -1 when the exposition has none (not a streamer, or not up yet). */
    static long sessions(String exposition) {
        long total = -1;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(SESSIONS_GAUGE + " ") || line.startsWith(SESSIONS_GAUGE + "{")) {
                String value = line.substring(line.lastIndexOf(' ') + 1).trim();
                total = Math.max(total, 0) + (long) Double.parseDouble(value);
            }
        }
        return total;
    }

    record Response(int status, String body) {
    }

    private Response request(String method, int port, String path) throws IOException {
        InetAddress target = InetAddress.getByName(host);
        try (Socket socket = new Socket()) {
            if (target.isLoopbackAddress() || isLocal(target)) {
                // From loopback, so the ops listener's loopback-only check admits us (see the class comment).
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            socket.connect(new InetSocketAddress(target, port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            String[] statusLine = text.substring(0, Math.max(0, text.indexOf("\r\n"))).split(" ");
            if (statusLine.length < 2 || !statusLine[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer from " + hostHeader);
            }
            String body = headerEnd < 0 ? "" : text.substring(headerEnd + 4);
            if (text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Response(Integer.parseInt(statusLine[1]), body);
        }
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
