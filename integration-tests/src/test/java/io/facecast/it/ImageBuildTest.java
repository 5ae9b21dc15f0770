package io.facecast.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The container images build without a Docker daemon, into one {@code docker save} archive, and each one runs: the
 * script unpacks every image as a runtime would and starts it in a chroot (which needs root, as CI has). Where this
 * machine has espeak-ng, the renderer image carries it (library, ldd closure, voice data) and speaks with an espeak
 * voice in its chroot; where it has not, the image says espeak voices are unavailable.
 */
class ImageBuildTest {
    @Test
    void imagesBuildToATarballAndRunInAChroot() throws Exception {
        Path root = JvmProcess.moduleJar("signaling").getParent().getParent().getParent();
        Path out = Path.of("target", "images", "facecast-images.tar").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("python3", root.resolve("docker/build-images.py").toString(),
                "--out", out.toString()));
        boolean root0 = "root".equals(System.getProperty("user.name"));
        if (root0) {
            cmd.add("--verify");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "image build timed out:\n" + output);
        System.out.print("[figures] " + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(Files.size(out) > 50L << 20, "archive too small: " + Files.size(out));
        if (root0) {
            for (String module : List.of("signaling", "renderer", "streamer")) {
                assertTrue(output.contains("verified facecast/" + module + ":"), "not verified: " + module + "\n" + output);
            }
            if (Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1"))) {
                assertTrue(output.contains("verified espeak-ng in facecast/renderer: espeak-ng: ")
                        && output.contains("espeak:en-us: 'Hello from the image.' -> "), "espeak in the image:\n" + output);
            } else {
                assertTrue(output.contains("espeak-ng: unavailable"), "the image says espeak is unavailable:\n" + output);
            }
        }
    }
}
