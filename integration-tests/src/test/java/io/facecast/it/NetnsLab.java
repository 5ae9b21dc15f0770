package io.facecast.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A multi-host lab on one machine: each host is a network namespace with its own address, all joined by a bridge
 * that lives in a namespace of its own, so a process on one host reaches another only at that host's address (never
 * through loopback), as on separate machines. Nothing of the root namespace is touched: the veth pairs are made
 * inside the bridge's namespace and one end moved straight into the host's, and the addresses (10.201.N.0/24) exist
 * only inside the lab.
 *
 * <pre>
 * try (NetnsLab lab = NetnsLab.create("failover", "signaling-a", "node-1", "client")) {
 *     JvmProcess r = lab.start("node-1", "renderer", "renderer", List.of("--host", lab.address("node-1"), ...));
 *     lab.kill("renderer");             // SIGKILL
 *     lab.restart("renderer");          // the same command again, on the same host
 * }
 * </pre>
 *
 * Processes are started with {@code ip netns exec NS java ...} (which execs the JVM: the pid is the JVM's). Names are
 * {@code fcl-<pid of this JVM>-<lab number>-<host>}: unique per run, and {@link #sweepStale} (run at every create)
 * deletes the labs whose test JVM is gone (a killed run), never a live one of a parallel run. {@link #close} (also
 * run by a shutdown hook) kills the lab's processes and deletes its namespaces, which removes its veths and bridge.
 *
 * <p>Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2's {@code ip}; without them the test is skipped with a
 * message, or fails when {@code FACECAST_REQUIRE_NETNS=1} (CI sets it).
 */
final class NetnsLab implements AutoCloseable {
    static final String PREFIX = "fcl-";
    private static final AtomicInteger LABS = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    /** One host: its namespace and its address. */
    record Host(String name, String namespace, String address) {
    }

    /** What was started where, so it can be restarted the same way. */
    private record Launch(String host, String module, String mainClass, String classPath, List<String> args,
                          List<String> jvmFlags) {
    }

    private final String id;
    private final String bridgeNs;
    private final Path logDir;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, JvmProcess> processes = new LinkedHashMap<>();
    private final Map<String, Launch> launches = new LinkedHashMap<>();
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private final Thread hook = new Thread(this::cleanUp, "netns-lab-cleanup");
    private boolean closed;

    private NetnsLab(String id, Path logDir) {
        this.id = id;
        this.bridgeNs = id + "-br";
        this.logDir = logDir;
    }

    /**
     * Creates the lab with the named hosts (addresses 10.201.N.1, .2, ... in the order given). Skips the calling test
     * (or fails, with FACECAST_REQUIRE_NETNS=1) when this machine cannot make namespaces.
     */
    static NetnsLab create(String testName, String... hostNames) throws IOException, InterruptedException {
        requireNetnsOrSkip();
        sweepStale();
        int n = LABS.incrementAndGet();
        NetnsLab lab = new NetnsLab(PREFIX + PID + "-" + n, Path.of("target", "it-logs", testName));
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            lab.build(n % 250, hostNames);
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build(int subnet, String[] hostNames) throws IOException, InterruptedException {
        ip("netns", "add", bridgeNs);
        ip("-n", bridgeNs, "link", "set", "lo", "up");
        ip("-n", bridgeNs, "link", "add", "name", "br0", "type", "bridge");
        ip("-n", bridgeNs, "link", "set", "br0", "up");
        int i = 0;
        for (String name : hostNames) {
            if (!name.matches("[a-z0-9-]{1,20}") || hosts.containsKey(name) || name.equals("br")) {
                throw new IllegalArgumentException("host name '" + name + "': lower-case letters, digits, '-'; unique;"
                        + " not 'br' (the bridge's)");
            }
            i++;
            String ns = id + "-" + name;
            String address = "10.201." + subnet + "." + i;
            ip("netns", "add", ns);
            hosts.put(name, new Host(name, ns, address));
            String port = "p" + i;
            // Both ends are born in the bridge's namespace; one goes straight to the host's, renamed eth0.
            ip("-n", bridgeNs, "link", "add", "name", port, "type", "veth", "peer", "name", "h" + i);
            ip("-n", bridgeNs, "link", "set", "h" + i, "netns", ns);
            ip("-n", bridgeNs, "link", "set", port, "master", "br0", "up");
            ip("-n", ns, "link", "set", "h" + i, "name", "eth0");
            ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host '" + name + "' in this lab: " + hosts.keySet());
        }
        return h;
    }

    /** The host's one address (its eth0). */
    String address(String host) {
        return host(host).address();
    }

    /** The command prefix that runs a program on {@code host}. */
    List<String> on(String host) {
        return List.of("ip", "netns", "exec", host(host).namespace());
    }

    /** Starts {@code module}'s jar (java -jar target/facecast-MODULE.jar ARGS) on {@code host}, named {@code name}. */
    synchronized JvmProcess start(String host, String name, String module, List<String> args) throws IOException {
        return start(host, name, module, args, List.of());
    }

    synchronized JvmProcess start(String host, String name, String module, List<String> args, List<String> jvmFlags)
            throws IOException {
        return launch(name, new Launch(host, module, null, null, List.copyOf(args), List.copyOf(jvmFlags)));
    }

    /** Starts a main class (a test tool) on {@code host}, with {@code classPath}. */
    synchronized JvmProcess startMain(String host, String name, String mainClass, String classPath, List<String> args)
            throws IOException {
        return launch(name, new Launch(host, null, mainClass, classPath, List.copyOf(args), List.of()));
    }

    private JvmProcess launch(String name, Launch l) throws IOException {
        if (closed) {
            throw new IllegalStateException("lab " + id + " is closed");
        }
        JvmProcess running = processes.get(name);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException(name + " is already running; kill or restart it");
        }
        int n = restarts.merge(name, 0, (a, b) -> a + 1);
        String logName = n == 0 ? name : name + "-restart" + n;
        JvmProcess p = l.module() != null
                ? JvmProcess.start(logName, l.module(), logDir, l.args(), l.jvmFlags(), on(l.host()))
                : JvmProcess.startMain(logName, l.mainClass(), l.classPath(), logDir, l.args(), on(l.host()));
        processes.put(name, p);
        launches.put(name, l);
        return p;
    }

    synchronized JvmProcess process(String name) {
        JvmProcess p = processes.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no process '" + name + "' in this lab: " + processes.keySet());
        }
        return p;
    }

    /** SIGKILL, and wait until it is gone. */
    void kill(String name) throws InterruptedException {
        process(name).kill();
    }

    /** SIGTERM, and wait (up to 10 s, then SIGKILL). */
    void stop(String name) throws InterruptedException {
        process(name).close();
    }

    /** Kills the process if it still runs, then starts it again with the same command on the same host. */
    synchronized JvmProcess restart(String name) throws IOException, InterruptedException {
        JvmProcess old = process(name);
        if (old.isAlive()) {
            old.kill();
        }
        return launch(name, launches.get(name));
    }

    /** Runs a short command on {@code host} (e.g. {@code ip addr}); its output, or an exception naming it. */
    String exec(String host, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(on(host));
        cmd.addAll(List.of(command));
        return run(cmd);
    }

    /** Every process's log tail, for assertion messages. */
    synchronized String logs() {
        StringBuilder sb = new StringBuilder();
        processes.forEach((name, p) -> sb.append("---- ").append(name).append(" (").append(p.log()).append(")\n")
                .append(p.tail()).append('\n'));
        return sb.toString();
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running this
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (JvmProcess p : processes.values()) {
            try {
                p.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Host h : hosts.values()) {
            deleteNamespace(h.namespace());
        }
        deleteNamespace(bridgeNs);
    }

    // ---- namespaces

    /** The lab namespaces on this machine (any run's). */
    static List<String> labNamespaces() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Deletes the namespaces of labs whose test JVM has died (killed runs), with any process left inside. */
    static void sweepStale() throws IOException, InterruptedException {
        for (String ns : labNamespaces()) {
            String[] parts = ns.substring(PREFIX.length()).split("-");
            long owner;
            try {
                owner = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (ProcessHandle.of(owner).isEmpty()) {
                deleteNamespace(ns);
            }
        }
    }

    /** Kills what still runs in the namespace (a lab's own processes), then deletes it. */
    private static void deleteNamespace(String ns) {
        try {
            for (String pid : run(List.of("ip", "netns", "pids", ns)).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            run(List.of("ip", "netns", "del", ns));
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("netns lab: could not delete namespace " + ns + ": " + e.getMessage());
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    // ---- can this machine do it?

    private static String unavailable;
    private static boolean checked;

    /** Skips (or, with FACECAST_REQUIRE_NETNS=1, fails) unless namespaces can be made here. */
    static synchronized void requireNetnsOrSkip() {
        if (!checked) {
            checked = true;
            unavailable = probe();
        }
        if (unavailable == null) {
            return;
        }
        if ("1".equals(System.getenv("FACECAST_REQUIRE_NETNS"))) {
            throw new IllegalStateException("network namespaces are required (FACECAST_REQUIRE_NETNS=1) but "
                    + unavailable);
        }
        Assumptions.assumeTrue(false, "multi-host lab skipped: " + unavailable
                + " (run as root with iproute2; FACECAST_REQUIRE_NETNS=1 makes this a failure)");
    }

    private static String probe() {
        try {
            String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .findFirst().map(l -> l.split("\\s+")[2]).orElse("?");
            if (!uid.equals("0")) {
                return "not root (effective uid " + uid + ")";
            }
            run(List.of("ip", "-V"));
        } catch (IOException | InterruptedException e) {
            return "iproute2's ip is not usable: " + e.getMessage();
        }
        String ns = PREFIX + PID + "-probe";
        try {
            run(List.of("ip", "netns", "add", ns));
            run(List.of("ip", "-n", ns, "link", "add", "name", "probe0", "type", "veth", "peer", "name", "probe1"));
            return null;
        } catch (IOException | InterruptedException e) {
            return "cannot create a namespace with a veth pair: " + e.getMessage();
        } finally {
            deleteNamespace(ns);
        }
    }

    static Duration startTimeout() {
        return Duration.ofSeconds(60);
    }
}
