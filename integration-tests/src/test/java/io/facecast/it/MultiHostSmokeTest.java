package io.facecast.it;

import io.facecast.security.ClusterCa;
import io.facecast.security.FleetRole;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Facecast across three hosts of a {@link NetnsLab}: signaling on one, a node (renderer + streamer sharing a bus) on
 * another, a receiving client on a third. Each process binds its host's address; the client reaches signaling and
 * the streamer only there. The session's media must come from the node host's address, and every ICE candidate the
 * streamer offers must be that address (no loopback, no other host's).
 */
class MultiHostSmokeTest {
    private static final Duration START = NetnsLab.startTimeout();

    @Test
    void aClientOnItsOwnHostReceivesTheNodesMediaFromTheNodeAddressOnly() throws Exception {
        Path tls = Files.createTempDirectory("facecast-tls-");
        Path bus = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "facecast-bus-");
        Path logs = Path.of("target", "it-logs", "multi-host-smoke").toAbsolutePath();
        try (NetnsLab lab = NetnsLab.create("multi-host-smoke", "signaling", "node-1", "client")) {
            ClusterCa ca = ClusterCa.init(tls);
            ca.issue(FleetRole.RENDERER, "renderer", ClusterCa.DEFAULT_VALIDITY, false);
            ca.issue(FleetRole.SIGNALING, "signaling", ClusterCa.DEFAULT_VALIDITY, false);
            ca.issue(FleetRole.STREAMER, "streamer-1", ClusterCa.DEFAULT_VALIDITY, false);
            String node = lab.address("node-1");
            String sig = lab.address("signaling");
            String client = lab.address("client");
            assertTrue(lab.exec("client", "ip", "-4", "addr", "show", "dev", "eth0").contains(client + "/24"));

            JvmProcess renderer = lab.start("node-1", "renderer", "renderer", List.of("--host", node, "--port", "0",
                    "--ops-port", "0", "--tls-dir", tls.toString(), "--bus-root", bus.toString()));
            String rendererAt = renderer.awaitListening(START);
            assertTrue(rendererAt.startsWith(node + ":"), rendererAt);

            Files.createDirectories(logs);
            Path keyFile = logs.resolve("api-key");
            Files.deleteIfExists(keyFile);
            JvmProcess signaling = lab.start("signaling", "signaling", "signaling", List.of("--host", sig,
                    "--port", "0", "--http-port", "-1", "--internal-host", sig, "--internal-port", "0",
                    "--tls-dir", tls.toString(), "--renderer", rendererAt, "--api-key-file", keyFile.toString()));
            String signalingAt = signaling.awaitListening(START);
            String internalAt = signaling.awaitControlPlane(START);
            assertTrue(signalingAt.startsWith(sig + ":") && internalAt.startsWith(sig + ":"), signalingAt + " " + internalAt);

            JvmProcess streamer = lab.start("node-1", "streamer", "streamer", List.of("--id", "streamer-1",
                    "--host", node, "--port", "0", "--ops-port", "0", "--signaling", internalAt,
                    "--bus-root", bus.toString(), "--tls-dir", tls.toString()));
            assertTrue(streamer.awaitListening(START).startsWith(node + ":"));

            String classPath = JvmProcess.moduleJar("client") + java.io.File.pathSeparator
                    + Path.of(NetnsClientProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            JvmProcess probe = lab.startMain("client", "client-probe", NetnsClientProbe.class.getName(), classPath,
                    List.of(signalingAt, keyFile.toString(), "20", "Hello from the node host."));
            int exit = probe.waitFor(Duration.ofSeconds(120));
            List<String> out = awaitDone(probe);
            assertEquals(0, exit, "probe exit; " + String.join("\n", out) + "\n" + lab.logs());

            assertTrue(out.contains("connected true"), String.join("\n", out));
            assertTrue(out.contains("speech-finished true"), String.join("\n", out));
            long frames = Long.parseLong(value(out, "frames"));
            double audio = Double.parseDouble(value(out, "audio-seconds"));
            assertTrue(frames >= 30, "video frames received: " + frames);
            assertTrue(audio >= 1.0, "audio received: " + audio + " s");

            List<String> candidates = new ArrayList<>();
            for (String line : out) {
                if (line.startsWith("remote-candidate ")) {
                    candidates.add(line.substring(line.indexOf(' ', "remote-candidate ".length()) + 1));
                }
            }
            assertFalse(candidates.isEmpty(), "the streamer sent no ICE candidate: " + out);
            for (String c : candidates) {
                // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
                String[] f = c.trim().split("\\s+");
                assertEquals(node, f[4], "a streamer candidate that is not the node host's address: " + c);
            }
            System.out.printf("[figures] multi-host smoke: %d frames, %.2f s audio, %d streamer candidate(s), all %s%n",
                    frames, audio, candidates.size(), node);
        } finally {
            for (Path dir : List.of(tls, bus)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The probe's log once its last line is in (the log pump may trail the exit by a moment). */
    private static List<String> awaitDone(JvmProcess probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> lines = probe.logLines();
        while (!lines.contains("done") && System.nanoTime() < deadline) {
            Thread.sleep(50); // the output pump is another thread writing a file: nothing to inject a clock into
            lines = probe.logLines();
        }
        return lines;
    }

    private static String value(List<String> out, String key) {
        return out.stream().filter(l -> l.startsWith(key + " ")).findFirst()
                .map(l -> l.substring(key.length() + 1).trim())
                .orElseThrow(() -> new AssertionError("no '" + key + "' line in " + out));
    }
}
