package io.facecast.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capacity benchmark's own checks, in the README's test command: its analysis functions' unit tests
 * ({@code tools/capacity/test_analysis.py}: gaps, percentiles, the "holds" rule, the pcap and RTP reader, /proc and
 * GC-log parsing; standard-library Python, well under a second) and its command line. The benchmark itself runs for
 * minutes and is not a test ({@code ./facecast bench capacity}, docs/benchmarks/README.md).
 */
class CapacityToolTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** The checkout's root, from the integration-tests folder (surefire) or the top-level folder. */
    private static Path root() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return Files.isDirectory(here.resolve("tools/capacity")) ? here : here.getParent();
    }

    private static String run(List<String> cmd, int expectedStatus) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process p = new ProcessBuilder(cmd).directory(root().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(expectedStatus, p.exitValue(), out);
        return out;
    }

    @Test
    void analysisUnitTestsPass() throws Exception {
        String out = run(List.of(PYTHON.toString(), "-m", "unittest", "discover", "-s", "tools/capacity",
                "-p", "test_*.py"), 0);
        assertTrue(out.contains("OK"), out);
    }

    @Test
    void badSessionListIsRefusedWithAnActionableMessage() throws Exception {
        String out = run(List.of(PYTHON.toString(), "tools/capacity/capacity_bench.py", "--sessions", "1,x",
                "--out", "target/capacity-never-written"), 2);
        assertTrue(out.contains("--sessions takes a comma-separated list of integers"), out);
    }
}
