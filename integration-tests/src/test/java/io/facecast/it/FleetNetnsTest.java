package io.facecast.it;

import io.facecast.signaling.support.RedisServer;
import io.facecast.security.ClusterCa;
import io.facecast.security.FleetRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9's "Done when" on real processes across the hosts of a {@link NetnsLab}: two node hosts (renderer + streamer
 * sharing a bus local to the host, the streamer naming its own renderer), two signaling replicas sharing a real
 * redis-server run on a host of its own, and a client host whose {@link FleetClientAgent} receives the sessions over
 * WebRTC and makes every control call (this JVM cannot reach the lab's addresses; it drives the agent on stdin). One
 * fleet serves all the steps, in order; each prints a {@code [figures]} line.
 *
 * <p>Both streamers register with replica A (each lists A, then B, in {@code --signaling}), so the replica that is
 * killed is B, the one the client's control calls went through: they continue through A. The last step kills the
 * replica node 1's streamer registered with (A, unless a loaded start-up moved it): it registers with the other and its
 * session goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetNetnsTest {
    private static final Duration START = NetnsLab.startTimeout();
    private static final String LONG_TEXT = NodeDrainTest.LONG_TEXT;
    private static final int REDIS_PORT = 6379;
    // Fixed ports are safe here: each host is a namespace of its own.
    private static final int RENDERER_PORT = 50061;
    private static final int RENDERER_OPS = 9461;
    private static final int STREAMER_PORT = 50071;
    private static final int STREAMER_OPS = 9471;
    private static final int SIGNALING_PORT = 50051;
    private static final int INTERNAL_PORT = 50052;
    /** Issue 9, renderer SIGKILL: no media gap over 100 ms at the receiver (video: on its host's wire, see {@link Media}). */
    private static final double MAX_GAP_MS = 100;
    /**
     * The other faults' "media not dropped/interrupted": twice that, a CI margin. Quiet runs show 35-91 ms on the
     * wire there; a fresh-clone CI run once saw 102 ms in the Redis-restart window, with the machine busy restarting
     * Redis and rebuilding two replicas.
     */
    private static final double UNDISTURBED_GAP_MS = 200;

    private NetnsLab lab;
    private Path tls;
    private Path redisDir;
    private Process redis;
    private final List<Path> buses = new ArrayList<>();
    private JvmProcess agent;
    private final AtomicLong ids = new AtomicLong();
    private String a;
    private String b;
    /** The two sessions the steps share: tag n1 on node 1 (watched through A), n2 on node 2 (through B). */
    private String s1;
    private String s2;

    @BeforeAll
    void startTheFleet() throws Exception {
        NetnsLab.requireNetnsOrSkip();
        if (RedisServer.binary().isEmpty()) {
            String why = "redis-server is not installed (apt-get install redis-server)";
            if ("1".equals(System.getenv("FACECAST_REQUIRE_REDIS"))) {
                Assertions.fail(why + ", and FACECAST_REQUIRE_REDIS=1 says these tests must run");
            }
            Assumptions.abort(why + "; skipping the fleet tests against a real Redis");
        }
        lab = NetnsLab.create("fleet-netns", "redis", "sig-a", "sig-b", "node-1", "node-2", "client");
        tls = Files.createTempDirectory("facecast-tls-");
        ClusterCa ca = ClusterCa.init(tls);
        ca.issue(FleetRole.RENDERER, "renderer", ClusterCa.DEFAULT_VALIDITY, false);
        ca.issue(FleetRole.SIGNALING, "signaling", ClusterCa.DEFAULT_VALIDITY, false);
        ca.issue(FleetRole.STREAMER, "streamer-1", ClusterCa.DEFAULT_VALIDITY, false);
        ca.issue(FleetRole.STREAMER, "streamer-2", ClusterCa.DEFAULT_VALIDITY, false);
        redisDir = Files.createTempDirectory("facecast-redis-");
        startRedis();

        Path shm = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        for (int n = 1; n <= 2; n++) {
            Path bus = Files.createTempDirectory(shm, "facecast-bus-node" + n + "-");
            buses.add(bus);
            String host = lab.address("node-" + n);
            lab.start("node-" + n, "renderer-" + n, "renderer", List.of("--host", host, "--port", "" + RENDERER_PORT,
                    "--ops-port", "" + RENDERER_OPS, "--tls-dir", tls.toString(), "--bus-root", bus.toString(),
                    "--drain-timeout", "2m"));
        }
        lab.process("renderer-1").awaitListening(START);
        lab.process("renderer-2").awaitListening(START);

        Path logs = Path.of("target", "it-logs", "fleet-netns").toAbsolutePath();
        Files.createDirectories(logs);
        Path keyFile = logs.resolve("api-key");
        Files.deleteIfExists(keyFile);
        String registry = "redis://" + lab.address("redis") + ":" + REDIS_PORT;
        for (String r : List.of("a", "b")) {
            String host = lab.address("sig-" + r);
            lab.start("sig-" + r, "signaling-" + r, "signaling", List.of("--host", host, "--port", "" + SIGNALING_PORT,
                    "--http-port", "-1", "--internal-host", host, "--internal-port", "" + INTERNAL_PORT,
                    "--tls-dir", tls.toString(), "--renderer", lab.address("node-1") + ":" + RENDERER_PORT,
                    "--api-key-file", keyFile.toString(), "--registry", registry, "--session-grace", "30000ms",
                    "--key-session-quota", "64", "--key-rate", "1000", "--key-burst", "1000"));
            lab.process("signaling-" + r).awaitListening(START); // A writes the key file B then reads
        }
        a = lab.address("sig-a") + ":" + SIGNALING_PORT;
        b = lab.address("sig-b") + ":" + SIGNALING_PORT;
        for (int n = 1; n <= 2; n++) {
            startStreamer(n);
        }
        lab.process("streamer-1").awaitListening(START);
        lab.process("streamer-2").awaitListening(START);

        String classPath = JvmProcess.moduleJar("client") + File.pathSeparator
                + Path.of(FleetClientAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        agent = lab.startMain("client", "agent", FleetClientAgent.class.getName(), classPath, List.of(keyFile.toString()));
    }

    private void startStreamer(int n) throws IOException {
        String host = lab.address("node-" + n);
        lab.start("node-" + n, "streamer-" + n, "streamer", List.of("--id", "streamer-" + n, "--node-id", "node-" + n,
                "--renderer", host + ":" + RENDERER_PORT, "--host", host, "--port", "" + STREAMER_PORT,
                "--ops-port", "" + STREAMER_OPS, "--signaling", internal("sig-a") + "," + internal("sig-b"),
                "--bus-root", buses.get(n - 1).toString(), "--tls-dir", tls.toString(), "--drain-timeout", "2m"));
    }

    /** A replica's internal address (the streamers' Registry). */
    private String internal(String host) {
        return lab.address(host) + ":" + INTERNAL_PORT;
    }

    private void startRedis() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(lab.on("redis"));
        cmd.addAll(List.of(RedisServer.binary().orElseThrow().toString(), "--port", "" + REDIS_PORT,
                "--bind", lab.address("redis"), "--save", "", "--appendonly", "no", "--dir", redisDir.toString(),
                "--protected-mode", "no"));
        Path log = redisDir.resolve("redis.log");
        redis = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!redisAnswers()) {
            if (!redis.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-server did not start: " + Files.readString(log));
            }
            Thread.sleep(50); // another process is starting: nothing to inject a clock into
        }
    }

    private boolean redisAnswers() throws InterruptedException {
        try {
            return lab.exec("redis", "redis-cli", "-h", lab.address("redis"), "-p", "" + REDIS_PORT, "ping").contains("PONG");
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    @AfterAll
    void stopTheFleet() throws Exception {
        if (lab != null) {
            lab.close(); // kills the agent and every node and replica, deletes the namespaces
        }
        if (redis != null) {
            redis.destroyForcibly().waitFor();
        }
        for (Path dir : Stream.concat(buses.stream(), Stream.of(tls, redisDir)).toList()) {
            if (dir == null) continue;
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- the steps

    @Test
    @Order(1)
    void createThroughAEverythingElseThroughBMediaFromNode2() throws Exception {
        // One session on each node: placement is weighted-random, so create until each node holds one.
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < 16 && (s1 == null || s2 == null); i++) {
            String[] created = createWhenReady(a).split(" ");
            if (created[1].equals("streamer-2") && s2 == null) {
                s2 = created[0];
            } else if (created[1].equals("streamer-1") && s1 == null) {
                s1 = created[0];
            } else {
                extra.add(created[0]);
            }
        }
        for (String id : extra) {
            call("close", id, a);
        }
        assertTrue(s1 != null && s2 != null, "16 creates did not place a session on each node: " + extra);

        long t0 = now();
        assertEquals("connected", call("open", "n2", s2, b), "n2 received through B");
        assertEquals("connected", call("open", "n1", s1, a));
        long connected = now();
        // CONNECTED comes from the streamer, whose events only A pumps: B's watcher has it through Redis.
        awaitEvent("n2", b, "STATE_CHANGED", "SESSION_STATE_CONNECTED", t0, Duration.ofSeconds(10));
        String u = call("speak", "n2", b, "Hello from node two, through the other replica.");
        awaitEvent("n2", b, "SPEECH_STARTED", u, t0, Duration.ofSeconds(20));
        long done = awaitEvent("n2", b, "SPEECH_FINISHED", u, t0, Duration.ofSeconds(30));
        assertEquals("SESSION_STATE_CONNECTED", call("get", s2, a), "A sees the state B's calls made");
        Media m = media("n2", connected, done);
        assertTrue(m.frames > 0, "node 2's video reached the client: " + m);
        System.out.printf("[figures] fleet create-A/use-B: session on streamer-2 connected in %.2f s after open,"
                + " utterance through B finished %.2f s after; receiver %s%n", (connected - t0) / 1e9,
                (done - connected) / 1e9, m);
    }

    @Test
    @Order(2)
    void aKilledRendererLeavesVideoAndSilenceThenSpeechComesBackOnTheSameSession() throws Exception {
        requireSessions();
        long t0 = now();
        lab.kill("renderer-2");
        long killed = now();
        long told = awaitEvent("n2", b, "ERROR", "speech is unavailable", t0, Duration.ofSeconds(10));
        String refused = callRaw("speak", "n2", b, "Are you there?");
        assertTrue(refused.startsWith("err UNAVAILABLE"), "speak while the renderer is down: " + refused);
        lab.restart("renderer-2").awaitListening(START);
        long restarted = now();
        long again = awaitEvent("n2", b, "STATE_CHANGED", "available", restarted, Duration.ofSeconds(15));
        String u = call("speak", "n2", b, "Speech is back on the same session.");
        long finished = awaitEvent("n2", b, "SPEECH_FINISHED", u, restarted, Duration.ofSeconds(30));
        Media m = media("n2", killed, finished);
        System.out.printf("[figures] fleet renderer SIGKILL: told speech unavailable after %.2f s; renderer restarted,"
                + " speech available again %.2f s after it listened; receiver over the %.1f s window: %s%n",
                (told - killed) / 1e9, (again - restarted) / 1e9, (finished - killed) / 1e9, m);
        assertTrue(m.fps >= 20, "video kept flowing: " + m);
        assertTrue(m.audioGapMs <= MAX_GAP_MS, "silence kept flowing, no audio gap over 100 ms: " + m);
        assertTrue(m.wireVideoGapMs <= MAX_GAP_MS, "video kept flowing, no gap over 100 ms on the wire: " + m);
    }

    @Test
    @Order(3)
    void aKilledSignalingReplicaInterruptsNoMediaAndControlGoesOnThroughTheOther() throws Exception {
        requireSessions();
        call("watch", "n2", a);
        long t0 = now();
        lab.kill("signaling-b");
        long killed = now();
        String u = call("speak", "n2", a, "Still here, through replica A.");
        long finished = awaitEvent("n2", a, "SPEECH_FINISHED", u, t0, Duration.ofSeconds(30));
        assertEquals("SESSION_STATE_CONNECTED", call("get", s2, a));
        Media m2 = media("n2", killed, finished);
        Media m1 = media("n1", killed, finished);
        System.out.printf("[figures] fleet signaling replica B SIGKILL: speak through A finished %.2f s after the"
                + " kill; receivers over the window: n2 %s; n1 %s%n", (finished - killed) / 1e9, m2, m1);
        for (Media m : List.of(m1, m2)) {
            assertTrue(m.fps >= 20 && m.wireVideoGapMs <= UNDISTURBED_GAP_MS && m.audioGapMs <= UNDISTURBED_GAP_MS, "no media interruption: " + m);
        }
        lab.restart("signaling-b").awaitListening(START);
        long watched = now();
        call("watch", "n2", b);
        // The stream is up once its first event (the session's state) is in; later steps read n2's events on B.
        awaitEvent("n2", b, "STATE_CHANGED", "SESSION_STATE_CONNECTED", watched, Duration.ofSeconds(10));
    }

    @Test
    @Order(4)
    void aRestartedEmptyRedisIsRebuiltWithoutDroppingMedia() throws Exception {
        requireSessions();
        long t0 = now();
        redis.destroyForcibly().waitFor();
        startRedis();
        long restarted = now();
        // A new session, once a replica has noticed and written back what it holds.
        String created = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (created == null) {
            String r = callRaw("create", b);
            if (r.startsWith("ok ")) {
                created = r.substring(3);
            } else if (System.nanoTime() > deadline) {
                Assertions.fail("no session could be created within 20 s of the Redis restart: " + r + "\n" + lab.logs());
            } else {
                Thread.sleep(250); // the replicas' once-a-second pass: nothing to inject a clock into
            }
        }
        long newSession = now();
        call("close", created.split(" ")[0], b);
        // The old sessions are back once the replica holding them (A) has had its once-a-second pass; until then a
        // lookup may answer NOT_FOUND (the rebuild window, see docs/fleet.md): counted and printed, bounded here.
        int[] notFound = new int[1];
        long s1Back = awaitConnected(s1, b, notFound);
        long s2Back = awaitConnected(s2, a, notFound);
        String u = call("speak", "n1", a, "The registry came back empty, and this still works.");
        long finished = awaitEvent("n1", a, "SPEECH_FINISHED", u, restarted, Duration.ofSeconds(30));
        Media m1 = media("n1", t0, finished);
        Media m2 = media("n2", t0, finished);
        System.out.printf("[figures] fleet Redis restarted empty: new session created %.2f s after redis-server was"
                + " back; old sessions answered %.2f s (n1 via B) and %.2f s (n2 via A) after it (%d NOT_FOUND answers"
                + " before); old session spoke; receivers over %.1f s: n1 %s; n2 %s%n", (newSession - restarted) / 1e9,
                (s1Back - restarted) / 1e9, (s2Back - restarted) / 1e9, notFound[0], (finished - t0) / 1e9, m1, m2);
        for (Media m : List.of(m1, m2)) {
            assertTrue(m.fps >= 20 && m.wireVideoGapMs <= UNDISTURBED_GAP_MS && m.audioGapMs <= UNDISTURBED_GAP_MS, "media not dropped: " + m);
        }
    }

    @Test
    @Order(5)
    void aKilledNodeFailsItsSessionsWithin5sAndTheOtherNodeIsUndisturbed() throws Exception {
        requireSessions();
        String u = call("speak", "n1", a, LONG_TEXT);
        long t0 = now();
        awaitEvent("n1", a, "SPEECH_STARTED", u, t0 - Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(20));
        long killed = now();
        lab.kill("streamer-1");
        lab.kill("renderer-1");
        long error = awaitEvent("n1", a, "ERROR", "stopped sending heartbeats", killed, Duration.ofSeconds(15));
        long failed = awaitEvent("n1", a, "STATE_CHANGED", "SESSION_STATE_FAILED", killed, Duration.ofSeconds(15));
        // The survivor, over a window that covers the detection and a few seconds after.
        long windowEnd = Math.max(failed, killed + Duration.ofSeconds(6).toNanos());
        while (now() < windowEnd) {
            Thread.sleep(200); // media accumulates at the receiver: nothing to wait on
        }
        Media m2 = media("n2", killed, windowEnd);
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String[] created = call("create", i % 2 == 0 ? a : b).split(" ");
            placed.add(created[1]);
            call("close", created[0], a);
        }
        System.out.printf("[figures] fleet node SIGKILL mid-speech: Error after %.2f s, FAILED after %.2f s (on the"
                + " watcher through A); the other node's receiver over %.1f s: %s; new sessions on %s%n",
                (error - killed) / 1e9, (failed - killed) / 1e9, (windowEnd - killed) / 1e9, m2, placed);
        assertTrue(failed - killed < Duration.ofSeconds(5).toNanos(), "FAILED within 5 s");
        assertTrue(error - killed < Duration.ofSeconds(5).toNanos(), "Error within 5 s");
        assertTrue(m2.fps >= 20 && m2.wireVideoGapMs <= UNDISTURBED_GAP_MS && m2.audioGapMs <= UNDISTURBED_GAP_MS, "the other node undisturbed: " + m2);
        assertEquals(List.of("streamer-2", "streamer-2", "streamer-2", "streamer-2"), placed, "new sessions on the survivor");
        s1 = null;
    }

    @Test
    @Order(6)
    void aDrainingNodeIsNeverReadyTakesNoSessionFinishesItsUtteranceAndExits() throws Exception {
        Assumptions.assumeTrue(s2 != null, "the first step did not open node 2's session");
        // Node 1 back (fresh processes), so that there is somewhere else to place while node 2 drains.
        lab.restart("renderer-1").awaitListening(START);
        startStreamer(1);
        lab.process("streamer-1").awaitListening(START);
        // Listening is not registered: placements may go to node 1 only once its readiness (registered) says so.
        String node1Ready = "http://" + lab.address("node-1") + ":" + STREAMER_OPS + "/readyz";
        for (long deadline = System.nanoTime() + START.toNanos(); !call("http", node1Ready).equals("200"); ) {
            assertTrue(System.nanoTime() < deadline, "node 1's restarted streamer registered within " + START);
            Thread.sleep(100);
        }
        String streamerReady = "http://" + lab.address("node-2") + ":" + STREAMER_OPS + "/readyz";
        String rendererReady = "http://" + lab.address("node-2") + ":" + RENDERER_OPS + "/readyz";
        assertEquals("200", call("http", streamerReady));

        String u = call("speak", "n2", b, LONG_TEXT);
        long t0 = now();
        awaitEvent("n2", b, "SPEECH_STARTED", u, t0 - Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(20));
        long term = now();
        lab.process("streamer-2").terminate();
        lab.process("renderer-2").terminate();
        // Readiness false from the moment the signal is handled, then watched until the processes are gone.
        long notReady = -1;
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; ) {
            if (!call("http", streamerReady).equals("200") && !call("http", rendererReady).equals("200")) {
                notReady = now();
                break;
            }
        }
        assertTrue(notReady > 0, "readiness went false after SIGTERM");
        call("readywatch", streamerReady);
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String r = callRaw("create", i % 2 == 0 ? a : b);
            assertTrue(r.startsWith("ok "), "create while node 2 drains: " + r);
            String[] created = r.substring(3).split(" ");
            placed.add(created[1]);
            call("close", created[0], a);
        }
        long finished = awaitEvent("n2", b, "SPEECH_FINISHED", u, term, Duration.ofSeconds(60));
        assertTrue(events("n2").stream().noneMatch(e -> e.nanos >= term && (e.kind.equals("INTERRUPTED")
                || e.kind.equals("ERROR"))), "the utterance was neither cut nor failed: " + events("n2"));
        call("close", s2, b);
        Integer streamerExit = lab.process("streamer-2").awaitExit(Duration.ofSeconds(30));
        Integer rendererExit = lab.process("renderer-2").awaitExit(Duration.ofSeconds(30));
        long exited = now();
        String[] watched = call("readystop").split(" ");
        System.out.printf("[figures] fleet SIGTERM drain: not ready %.0f ms after SIGTERM; utterance finished %.2f s"
                + " after; streamer exit %s and renderer exit %s %.2f s after; readiness polled %s times, 200 %s times;"
                + " new sessions on %s%n", (notReady - term) / 1e6, (finished - term) / 1e9, streamerExit,
                rendererExit, (exited - term) / 1e9, watched[0], watched[1], placed);
        assertEquals(List.of("streamer-1", "streamer-1", "streamer-1", "streamer-1"), placed, "no placement on node 2");
        assertEquals(0, streamerExit, "the streamer exited after its drain:\n" + lab.logs());
        assertEquals(0, rendererExit, "the renderer exited after its drain:\n" + lab.logs());
        assertEquals("0", watched[1], "readiness never true while draining");
        assertTrue(Integer.parseInt(watched[0]) > 0);
    }

    @Test
    @Order(7)
    void aKilledReplicaThatAStreamerRegisteredWithIsLeftForTheOtherAndItsSessionGoesOn() throws Exception {
        // Node 1 and replica B up, whatever the steps before left (this step also runs alone).
        if (!lab.process("signaling-b").isAlive()) {
            lab.restart("signaling-b").awaitListening(START);
        }
        if (!lab.process("streamer-1").isAlive()) {
            if (!lab.process("renderer-1").isAlive()) {
                lab.restart("renderer-1").awaitListening(START);
            }
            startStreamer(1);
            lab.process("streamer-1").awaitListening(START);
        }
        JvmProcess streamer = lab.process("streamer-1");
        // The replica node 1's streamer registered with (A, first in its list, unless a loaded start-up moved it)
        // is the one killed; the client works through the other. Decided again just before the kill, below.
        boolean homeIsA = registeredWith(streamer).equals(internal("sig-a"));
        String via = homeIsA ? b : a;
        String s3 = null;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < 16 && s3 == null; i++) {
            String[] created = createWhenReady(via).split(" ");
            if (created[1].equals("streamer-1")) {
                s3 = created[0];
            } else {
                extra.add(created[0]);
            }
        }
        for (String id : extra) {
            call("close", id, via);
        }
        assertTrue(s3 != null, "16 creates did not place a session on node 1: " + extra);
        if (registeredWith(streamer).equals(internal(homeIsA ? "sig-a" : "sig-b"))) {
            // still where it was: the session goes on through the other replica
        } else {
            homeIsA = !homeIsA; // it moved meanwhile (a loaded machine): the other replica is now its own
            via = homeIsA ? b : a;
        }
        String home = homeIsA ? "A" : "B", other = homeIsA ? "B" : "A";
        String otherInternal = internal(homeIsA ? "sig-b" : "sig-a");
        long t0 = now();
        assertEquals("connected", call("open", "n3", s3, via), "n3 received, controlled and watched through " + other);
        awaitEvent("n3", via, "STATE_CHANGED", "SESSION_STATE_CONNECTED", t0, Duration.ofSeconds(10));
        int linesBefore = streamer.logLines().size();

        long killed = now();
        lab.kill(homeIsA ? "signaling-a" : "signaling-b");
        long moved = awaitLogLine(streamer, linesBefore, "registered with signaling at " + otherInternal + " ",
                Duration.ofSeconds(10));
        String u = call("speak", "n3", via, "Replica " + home + " is gone, and this goes through " + other + ".");
        long started = awaitEvent("n3", via, "SPEECH_STARTED", u, killed, Duration.ofSeconds(20));
        long finished = awaitEvent("n3", via, "SPEECH_FINISHED", u, killed, Duration.ofSeconds(30));
        assertEquals("SESSION_STATE_CONNECTED", call("get", s3, via), "adopted by " + other + ", not FAILED");
        Media m = media("n3", killed, finished);
        List<String> after = streamer.logLines();
        List<String> gone = after.subList(linesBefore, after.size()).stream().filter(l -> l.contains("is gone")).toList();
        System.out.printf("[figures] fleet signaling replica %s SIGKILL (the one streamer-1 registered with):"
                + " streamer-1 registered with %s %.2f s after the kill (signaling's rule: dead after 3 s without a"
                + " heartbeat); speak through %s started %.2f s and finished %.2f s after the kill, its events relayed by"
                + " it; receiver over the window: %s; streamer said: %s%n", home, other, (moved - killed) / 1e9, other,
                (started - killed) / 1e9, (finished - killed) / 1e9, m, gone);
        assertTrue(moved - killed < Duration.ofSeconds(3).toNanos(), "re-registered before signaling's 3 s rule");
        String through = via;
        assertTrue(events("n3").stream().noneMatch(e -> e.nanos >= killed && e.via.equals(through)
                && (e.kind.equals("ERROR") || e.detail.startsWith("SESSION_STATE_FAILED")
                || e.detail.startsWith("SESSION_STATE_CLOSED"))), "no Error, FAILED or CLOSED: " + events("n3"));
        assertTrue(agent.logLines().stream().noneMatch(l -> l.startsWith("P n3 ") && !l.endsWith(" CONNECTED")
                && Long.parseLong(l.split(" ")[2]) >= killed), "the receiving peer stayed connected");
        assertTrue(m.fps >= 20 && m.wireVideoGapMs <= UNDISTURBED_GAP_MS && m.audioGapMs <= UNDISTURBED_GAP_MS, "no media interruption: " + m);
        call("close", s3, via);
    }

    /** The replica the streamer last said it registered with ("registered with signaling at HOST:PORT as ..."). */
    private static String registeredWith(JvmProcess streamer) throws IOException {
        String address = "";
        for (String line : streamer.logLines()) {
            int at = line.indexOf("registered with signaling at ");
            if (at >= 0) {
                address = line.substring(at + "registered with signaling at ".length()).split(" ", 2)[0];
            }
        }
        return address;
    }

    /** When a line containing {@code text} first showed in the process's log after its first {@code skip} lines. */
    private long awaitLogLine(JvmProcess p, int skip, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = p.logLines();
            if (lines.subList(Math.min(skip, lines.size()), lines.size()).stream().anyMatch(l -> l.contains(text))) {
                return now();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the log within " + timeout + ":\n" + p.tail());
            }
            Thread.sleep(20); // the process reports through its log file: nothing to inject a clock into
        }
    }

    /** When GetSession through {@code target} first answered CONNECTED (within 5 s); NOT_FOUND answers counted. */
    private long awaitConnected(String id, String target, int[] notFound) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            String r = callRaw("get", id, target);
            if (r.equals("ok SESSION_STATE_CONNECTED")) {
                return now();
            }
            if (r.startsWith("err NOT_FOUND")) {
                notFound[0]++;
            }
            if (System.nanoTime() > deadline) {
                Assertions.fail("session " + id + " did not answer CONNECTED through " + target
                        + " within 5 s of the Redis restart: " + r + "\n" + lab.logs());
            }
            Thread.sleep(100); // the replicas' once-a-second pass: nothing to inject a clock into
        }
    }

    // ---- the agent

    private void requireSessions() {
        Assumptions.assumeTrue(s1 != null && s2 != null, "the first step did not open its sessions");
    }

    private String createWhenReady(String target) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String r = callRaw("create", target);
            if (r.startsWith("ok ")) {
                return r.substring(3);
            }
            if (!r.startsWith("err UNAVAILABLE") || System.nanoTime() > deadline) {
                Assertions.fail("create: " + r + "\n" + lab.logs());
            }
            Thread.sleep(250); // streamers are still registering: nothing to inject a clock into
        }
    }

    private long now() throws Exception {
        return System.nanoTime(); // CLOCK_MONOTONIC: the agent's stamps are on the same clock
    }

    private String call(String... words) throws Exception {
        String r = callRaw(words);
        if (!r.startsWith("ok ")) {
            Assertions.fail(String.join(" ", words) + ": " + r + "\n" + lab.logs());
        }
        return r.substring(3);
    }

    /** "ok ..." or "err ...". */
    private String callRaw(String... words) throws Exception {
        String id = "c" + ids.incrementAndGet();
        agent.send(id + " " + String.join(" ", words));
        String prefix = "R " + id + " ";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : agent.logLines()) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
            if (!agent.isAlive()) {
                Assertions.fail("the client agent died:\n" + agent.tail());
            }
            Thread.sleep(20); // the agent answers through its log file: nothing to inject a clock into
        }
        throw new AssertionError("no answer from the agent to " + String.join(" ", words) + "\n" + agent.tail());
    }

    record Event(String tag, long nanos, String via, String kind, String detail) {
    }

    private List<Event> events(String tag) throws IOException {
        List<Event> out = new ArrayList<>();
        for (String line : agent.logLines()) {
            if (!line.startsWith("E " + tag + " ")) continue;
            String[] f = line.split(" ", 6);
            out.add(new Event(f[1], Long.parseLong(f[2]), f[3], f[4], f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    /** Arrival time of the first event of {@code kind} through {@code via} after {@code after} whose detail has {@code text}. */
    private long awaitEvent(String tag, String via, String kind, String text, long after, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Event> e = events(tag).stream().filter(x -> x.nanos >= after && x.via.equals(via)
                    && x.kind.equals(kind) && x.detail.contains(text)).findFirst();
            if (e.isPresent()) {
                return e.get().nanos;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + kind + " '" + text + "' for " + tag + " through " + via + " within "
                        + timeout + "; events: " + events(tag) + "\n" + lab.logs());
            }
            Thread.sleep(20); // the agent reports through its log file: nothing to inject a clock into
        }
    }

    /**
     * Media at the client host over a window. Video gaps two ways: {@code wireVideoGapMs} between video frames'
     * arrivals on the client host's wire (its packet capture, {@link WireCapture}), which is what the asserts bound;
     * {@code videoGapMs} between the frames the receiving peer's sink got, after libwebrtc's jitter buffer, decoder
     * and render queue. The sink's 110-120 ms gaps, seen in every window with or without a fault while the wire
     * delivered a frame every 33 ms, are the receiver's audio/video synchronization: once a second it raises the
     * video playout delay by up to 80 ms to meet the audio's, so one frame is shown 33 + 80 ms after the previous
     * (tools/video-gaps). Printed side by side; the audio gap is between 10 ms chunks at the sink.
     */
    record Media(long frames, double fps, double videoGapMs, double audioGapMs, double videoGapAt, double audioGapAt,
                 long wireFrames, double wireVideoGapMs, double wireVideoGapAt) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d frames, %.1f fps, largest video gap %.0f ms on the wire"
                    + " (ending %.1f s in, %d frames) and %.0f ms between decoded frames (ending %.1f s in), largest"
                    + " audio gap %.0f ms (ending %.1f s in)", frames, fps, wireVideoGapMs, wireVideoGapAt / 1e3,
                    wireFrames, videoGapMs, videoGapAt / 1e3, audioGapMs, audioGapAt / 1e3);
        }
    }

    private Media media(String tag, long from, long to) throws Exception {
        String[] f = call("media", tag, "" + from, "" + to).split(" ");
        Media m = new Media(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]),
                Double.parseDouble(f[7]), Double.parseDouble(f[8]));
        assertTrue(m.wireFrames > 0, "no video of " + tag + " in the client host's capture (dumpcap, Debian package"
                + " tshark, missing? see " + agent.tail() + "): " + m);
        return m;
    }
}
