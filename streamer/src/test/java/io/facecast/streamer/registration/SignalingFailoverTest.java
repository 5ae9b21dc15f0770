package io.facecast.streamer.registration;

import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.HeartbeatResponse;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegisterStreamerResponse;
import io.facecast.internal.v1.RegistryGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover rule of {@link SignalingRegistration} against in-process signaling replicas, one tick at a time (the
 * test calls {@code tick()} itself; the timer is never started), so each step is decided, not waited for.
 */
class SignalingFailoverTest {
    /** One signaling replica: a Registry that records what it is sent and a health service. */
    static final class Replica {
        final String name;
        final List<RegisterStreamerRequest> registrations = new CopyOnWriteArrayList<>();
        final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
        /** What its health service says of the Registry (signaling: SERVING, NOT_SERVING once it shuts down). */
        volatile ServingStatus health = ServingStatus.SERVING;
        /** Non-null: every Registry call fails with it (the replica is up, its store is not). */
        volatile Status failing;
        /** Every call, health included, is left unanswered (a replica whose host went silent). */
        volatile boolean silent;
        volatile boolean knows = true;
        Server server;

        Replica(String name) {
            this.name = name;
        }

        Replica start() throws IOException {
            server = InProcessServerBuilder.forName(name).directExecutor()
                    .addService(new HealthGrpc.HealthImplBase() {
                        @Override
                        public void check(HealthCheckRequest req, StreamObserver<HealthCheckResponse> out) {
                            if (!silent) {
                                out.onNext(HealthCheckResponse.newBuilder().setStatus(
                                        req.getService().equals(RegistryGrpc.SERVICE_NAME) ? health
                                                : ServingStatus.SERVICE_UNKNOWN).build());
                                out.onCompleted();
                            }
                        }
                    })
                    .addService(new RegistryGrpc.RegistryImplBase() {
                        @Override
                        public void registerStreamer(RegisterStreamerRequest req,
                                                     StreamObserver<RegisterStreamerResponse> out) {
                            registrations.add(req);
                            if (answer(out)) {
                                knows = true;
                                out.onNext(RegisterStreamerResponse.newBuilder().setHeartbeatIntervalMs(1000).build());
                                out.onCompleted();
                            }
                        }

                        @Override
                        public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> out) {
                            heartbeats.add(req);
                            if (answer(out)) {
                                out.onNext(HeartbeatResponse.newBuilder().setKnown(knows).build());
                                out.onCompleted();
                            }
                        }
                    }).build().start();
            return this;
        }

        private boolean answer(StreamObserver<?> out) {
            if (silent) {
                return false;
            }
            if (failing != null) {
                out.onError(failing.asRuntimeException());
                return false;
            }
            return true;
        }

        void kill() {
            server.shutdownNow();
        }
    }

    final List<Replica> replicas = new ArrayList<>();
    final List<String> live = new CopyOnWriteArrayList<>(List.of("s1", "s2"));
    final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    SignalingRegistration registration;

    @AfterEach
    void stop() {
        if (registration != null) registration.close();
        replicas.forEach(Replica::kill);
        channels.forEach(ManagedChannel::shutdownNow);
    }

    Replica replica() throws IOException {
        return replica(InProcessServerBuilder.generateName());
    }

    Replica replica(String name) throws IOException {
        Replica r = new Replica(name).start();
        replicas.add(r);
        return r;
    }

    SignalingRegistration registration(Replica... list) {
        return registrationTo(java.util.Arrays.stream(list).map(r -> r.name).toList(), null);
    }

    /** Over these addresses, in this order: {@code tcp} (if not null) over a real TCP channel, the rest in-process. */
    SignalingRegistration registrationTo(List<String> addresses, String tcp) {
        registration = new SignalingRegistration(addresses,
                name -> {
                    ManagedChannel channel = name.equals(tcp)
                            ? io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget(name).usePlaintext().build()
                            : InProcessChannelBuilder.forName(name).directExecutor().build();
                    channels.add(channel);
                    return channel;
                },
                RegisterStreamerRequest.newBuilder().setStreamerId("streamer-1").setControlAddress("10.0.0.5:50071")
                        .setBusPath("/bus/streamer-1").setMaxSessions(8).setNodeId("node-1").build(),
                new SignalingRegistration.Status() {
                    @Override
                    public List<String> liveSessions() {
                        return List.copyOf(live);
                    }

                    @Override
                    public boolean draining() {
                        return false;
                    }

                    @Override
                    public float load() {
                        return 0.25f;
                    }
                });
        return registration;
    }

    @Test
    void registersWithTheFirstAddressAndHeartbeatsThereOnly() throws Exception {
        Replica a = replica();
        Replica b = replica();
        registration(a, b);
        registration.tick();
        registration.tick();
        assertEquals(1, a.registrations.size());
        assertEquals(2, a.heartbeats.size(), "one after registering, one on the next tick");
        assertTrue(b.registrations.isEmpty() && b.heartbeats.isEmpty());
        assertEquals(a.name, registration.address());
        assertEquals(1000, registration.nextDelayMillis());
    }

    @Test
    void whenItsReplicaIsGoneItRegistersWithTheNextInTheSameTickListingItsLiveSessions() throws Exception {
        Replica a = replica();
        Replica b = replica();
        registration(a, b);
        registration.tick();
        a.kill();
        live.remove("s1");
        registration.tick();
        assertEquals(1, b.registrations.size(), "registered with B in the tick that found A gone");
        assertEquals(List.of("s2"), b.registrations.get(0).getLiveSessionsList(), "listing what it holds now");
        assertEquals(1, b.heartbeats.size());
        assertTrue(registration.registered());
        assertEquals(b.name, registration.address());
        assertEquals(1, registration.failovers());
        assertEquals(1000, registration.nextDelayMillis(), "an ordinary heartbeat interval: nothing is retried");
        assertEquals(List.of("s2"), live, "nothing closed its sessions");
    }

    @Test
    void itStaysWithTheReplicaItMovedToWhenTheFirstComesBack() throws Exception {
        Replica a = replica();
        Replica b = replica();
        registration(a, b);
        registration.tick();
        a.kill();
        registration.tick();
        Replica aBack = replica(a.name); // A restarted at its address
        registration.tick();
        registration.tick();
        assertTrue(aBack.registrations.isEmpty() && aBack.heartbeats.isEmpty(), "not back to A");
        assertEquals(3, b.heartbeats.size());
        assertEquals(1, b.registrations.size());
    }

    @Test
    void aReplicaThatAnswersUnavailableButIsHealthyKeepsTheRegistration() throws Exception {
        Replica a = replica();
        Replica b = replica();
        registration(a, b);
        registration.tick();
        a.failing = Status.UNAVAILABLE.withDescription("the shared fleet state is unreachable; try again in a few seconds");
        registration.tick();
        registration.tick();
        assertTrue(b.registrations.isEmpty(), "A answers its health probe: it is not gone, its store is");
        assertTrue(registration.registered(), "and the registration is kept, as with one address");
        assertEquals(a.name, registration.address());
        a.failing = null;
        registration.tick();
        assertEquals(1, a.registrations.size(), "no re-registration once A's store is back");
        assertEquals(4, a.heartbeats.size());
    }

    @Test
    void aReplicaShuttingDownIsGone() throws Exception {
        Replica a = replica();
        Replica b = replica();
        registration(a, b);
        registration.tick();
        a.health = ServingStatus.NOT_SERVING; // what signaling's close() says first
        a.failing = Status.UNAVAILABLE.withDescription("shutting down");
        registration.tick();
        assertEquals(1, b.registrations.size());
        assertEquals(b.name, registration.address());
    }

    @Test
    void otherFailuresNeverMoveIt() throws Exception {
        Replica a = replica();
        Replica b = replica();
        registration(a, b);
        registration.tick();
        a.failing = Status.PERMISSION_DENIED.withDescription("registered under another certificate");
        a.health = ServingStatus.NOT_SERVING; // not even asked: the rule starts from UNAVAILABLE or a deadline
        registration.tick();
        registration.tick();
        assertEquals(a.name, registration.address(), "an answer is an answer: it stays with A");
        assertTrue(b.registrations.isEmpty());
        assertEquals(0, registration.failovers());
    }

    @Test
    void aSilentReplicaIsLeftAfterTheCallDeadlineAndTheProbe() throws Exception {
        Replica a = replica();
        Replica b = replica();
        registration(a, b);
        registration.tick();
        a.silent = true; // no answer to anything, as from a host that dropped off the network
        long t0 = System.nanoTime();
        registration.tick();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, b.registrations.size());
        assertEquals(b.name, registration.address());
        // The heartbeat waits its 2 s deadline and the probe 500 ms: registered with B 2.5 s into the tick. The upper
        // bound is wide for a loaded CI machine.
        long expected = SignalingRegistration.CALL_DEADLINE_MILLIS + SignalingRegistration.PROBE_DEADLINE_MILLIS;
        assertTrue(tookMs >= expected - 100, "both deadlines were waited: " + tookMs + " ms");
        assertTrue(tookMs < expected + 1000, "and no more: " + tookMs + " ms");
    }

    @Test
    void aRefusedTcpConnectionIsGoneAtOnce() throws Exception {
        Replica b = replica();
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once this is closed
        }
        String dead = "127.0.0.1:" + closedPort;
        registrationTo(List.of(dead, b.name), dead);
        registration.tick();
        assertEquals(1, b.registrations.size(), "registered with B in the first tick");
        assertEquals(b.name, registration.address());
    }

    @Test
    void aConnectionStillBeingSetUpIsNotJudged() throws Exception {
        // A TCP listener that accepts and never speaks: the channel to it never gets past CONNECTING (no HTTP/2
        // settings from the server), as with a cold TLS handshake that takes longer than the call's deadline.
        Replica b = replica();
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String slow = "127.0.0.1:" + mute.getLocalPort();
            registrationTo(List.of(slow, b.name), slow);
            registration.tick(); // the registration's 1 s deadline passes while connecting
            assertFalse(registration.registered());
            assertEquals(slow, registration.address(), "not judged: it stays");
            assertEquals(0, registration.failovers());
            assertTrue(b.registrations.isEmpty());
            for (java.net.Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void everyReplicaDownMeansTwoTriesATickRoundTheListNoBusyLoop() throws Exception {
        Replica a = replica();
        Replica b = replica();
        Replica c = replica();
        registration(a, b, c);
        registration.tick();
        a.kill();
        b.kill();
        c.kill();
        registration.tick(); // A gone -> B gone: next is C
        assertFalse(registration.registered());
        assertEquals(c.name, registration.address());
        assertEquals(SignalingRegistration.RETRY_MILLIS, registration.nextDelayMillis());
        registration.tick(); // C gone -> A gone: next is B
        assertEquals(b.name, registration.address());
        assertEquals(4, registration.failovers());
    }

    @Test
    void withOneAddressAnUnansweredCallKeepsTheRegistration() throws Exception {
        Replica a = replica();
        registration(a);
        registration.tick();
        a.kill();
        registration.tick();
        registration.tick();
        assertTrue(registration.registered(), "one address: as before, a glitch costs nothing");
        assertEquals(0, registration.failovers());
        assertEquals(1000, registration.nextDelayMillis());
    }

    @Test
    void theAddressListIsParsedStrictly() {
        assertEquals(List.of("127.0.0.1:50052"), SignalingAddresses.parse("127.0.0.1:50052"));
        assertEquals(List.of("facecast-signaling-internal:50052"), SignalingAddresses.parse("facecast-signaling-internal:50052"));
        assertEquals(List.of("10.0.0.1:50052", "10.0.0.2:50052"), SignalingAddresses.parse("10.0.0.1:50052, 10.0.0.2:50052"));
        for (String bad : List.of("", " ", "a:1,", ",a:1", "a:1,,b:2", "a:1,a:1", "a 1:2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignalingAddresses.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--signaling"), e.getMessage());
        }
    }
}
