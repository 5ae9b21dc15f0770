package io.facecast.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab itself: hosts reach each other at their addresses only, the root namespace is untouched, nothing is left. */
class NetnsLabTest {

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Test
    void hostsTalkOverTheBridgeAndEverythingIsGoneAfterClose() throws Exception {
        NetnsLab.requireNetnsOrSkip();
        String rootLinks = run("ip", "-o", "link", "show");
        String rootAddrs = run("ip", "-o", "addr", "show");
        List<String> mine;
        try (NetnsLab lab = NetnsLab.create("netns-lab", "a", "b")) {
            String a = lab.address("a");
            String b = lab.address("b");
            assertTrue(a.matches("10\\.201\\.\\d+\\.1") && b.matches("10\\.201\\.\\d+\\.2"), a + " " + b);
            // A listener on a (all of a's addresses): b reaches it at a's address, not at 127.0.0.1 (its own lo).
            List<String> listen = new java.util.ArrayList<>(lab.on("a"));
            listen.addAll(List.of("python3", "-c", "import socket; s = socket.socket(); s.bind(('0.0.0.0', 0)); s.listen(4);"
                    + " print(s.getsockname()[1], flush=True); c, peer = s.accept(); print(peer[0], flush=True)"));
            Process listener = new ProcessBuilder(listen).redirectErrorStream(true).start();
            try {
                java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(listener.getInputStream()));
                String port = r.readLine();
                String connect = "import socket, sys\ntry:\n socket.create_connection((sys.argv[1], " + port + "), 5)\n"
                        + " print('connected')\nexcept OSError as e:\n print('refused', e)";
                assertTrue(lab.exec("b", "python3", "-c", connect, "127.0.0.1").startsWith("refused"));
                assertEquals("connected", lab.exec("b", "python3", "-c", connect, a).strip());
                assertEquals(b, r.readLine(), "a sees b's address as the peer");
            } finally {
                listener.destroyForcibly();
                listener.waitFor();
            }
            String addrs = lab.exec("a", "ip", "-4", "-o", "addr", "show");
            assertTrue(addrs.contains(a + "/24") && addrs.contains("127.0.0.1/8"), addrs);
            assertFalse(addrs.contains(b), addrs);
            assertThrows(IOException.class, () -> lab.exec("a", "false"), "a failing command is an error");
            mine = NetnsLab.labNamespaces().stream().filter(n -> n.startsWith(NetnsLab.PREFIX
                    + ProcessHandle.current().pid() + "-")).toList();
            assertEquals(3, mine.size(), "two hosts and the bridge: " + mine);
        }
        List<String> left = NetnsLab.labNamespaces();
        for (String ns : mine) {
            assertFalse(left.contains(ns), ns + " left behind");
        }
        assertEquals(rootLinks, run("ip", "-o", "link", "show"), "the root namespace's links changed");
        assertEquals(rootAddrs, run("ip", "-o", "addr", "show"), "the root namespace's addresses changed");
    }

    @Test
    void aDeadRunsNamespacesAreSweptAndALiveRunsAreNot() throws Exception {
        NetnsLab.requireNetnsOrSkip();
        long dead = deadPid();
        String stale = NetnsLab.PREFIX + dead + "-1-x";
        String live = NetnsLab.PREFIX + ProcessHandle.current().pid() + "-999-x";
        run("ip", "netns", "add", stale);
        run("ip", "netns", "add", live);
        try {
            NetnsLab.sweepStale();
            List<String> left = NetnsLab.labNamespaces();
            assertFalse(left.contains(stale), "a dead run's namespace survived the sweep");
            assertTrue(left.contains(live), "a live run's namespace was swept");
        } finally {
            run("ip", "netns", "del", stale);
            run("ip", "netns", "del", live);
        }
    }

    /** A pid no process has: a child that has exited and been reaped. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertTrue(ProcessHandle.of(pid).isEmpty());
        return pid;
    }
}
