package io.facecast.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's coturn on loopback with TURN REST authentication (use-auth-secret): it accepts exactly the credentials
 * signaling mints from the shared secret. Relays on 127.0.0.1 only, no TLS, no CLI.
 */
final class Coturn implements AutoCloseable {
    static final Path TURNSERVER = Path.of("/usr/bin/turnserver");

    final int port;
    final Path log;
    private final Process process;

    private Coturn(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static void require() {
        if (Files.isExecutable(TURNSERVER)) return;
        String message = "TURN test needs coturn (apt-get install coturn)";
        if ("1".equals(System.getenv("FACECAST_REQUIRE_BROWSER"))) throw new IllegalStateException(message);
        Assumptions.abort(message);
    }

    static Coturn start(String secret, Path logDir) throws Exception {
        Files.createDirectories(logDir);
        int port = freeUdpAndTcpPort();
        Path log = logDir.resolve("coturn.log");
        Path db = Files.createTempFile(logDir, "turndb", ".sqlite");
        Process p = new ProcessBuilder(List.of(TURNSERVER.toString(), "-n", "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1", "--listening-port=" + port, "--no-tls", "--no-dtls", "--no-cli",
                "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=facecast.test",
                "--allow-loopback-peers", "--userdb=" + db, "--log-file=stdout", "--simple-log",
                "--pidfile=" + logDir.resolve("coturn.pid"), "--verbose"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Coturn coturn = new Coturn(port, log, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("coturn exited:\n" + Files.readString(log));
            if (Files.readString(log).contains("Total General servers")) return coturn;
            Thread.sleep(100); // another process starting: nothing to inject a clock into
        }
        coturn.close();
        throw new IllegalStateException("coturn did not come up:\n" + Files.readString(log));
    }

    String url() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    private static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        throw new IOException("no free port for coturn");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
