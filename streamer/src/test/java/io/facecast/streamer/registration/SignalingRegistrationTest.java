package io.facecast.streamer.registration;

import io.facecast.internal.v1.HeartbeatRequest;
import io.facecast.internal.v1.HeartbeatResponse;
import io.facecast.internal.v1.NodeState;
import io.facecast.internal.v1.RegisterStreamerRequest;
import io.facecast.internal.v1.RegisterStreamerResponse;
import io.facecast.internal.v1.RegistryGrpc;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registration against an in-process registry: what it sends, and that being forgotten closes nothing. */
class SignalingRegistrationTest {
    final BlockingQueue<RegisterStreamerRequest> registrations = new LinkedBlockingQueue<>();
    final BlockingQueue<HeartbeatRequest> heartbeats = new LinkedBlockingQueue<>();
    final AtomicBoolean known = new AtomicBoolean(true);
    final List<String> live = new CopyOnWriteArrayList<>();
    final AtomicBoolean draining = new AtomicBoolean();
    Server server;
    SignalingRegistration registration;

    @AfterEach
    void stop() {
        if (registration != null) registration.close();
        if (server != null) server.shutdownNow();
    }

    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new RegistryGrpc.RegistryImplBase() {
            @Override
            public void registerStreamer(RegisterStreamerRequest req, StreamObserver<RegisterStreamerResponse> out) {
                known.set(true);
                registrations.add(req);
                out.onNext(RegisterStreamerResponse.newBuilder().setHeartbeatIntervalMs(100).build());
                out.onCompleted();
            }

            @Override
            public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> out) {
                heartbeats.add(req);
                out.onNext(HeartbeatResponse.newBuilder().setKnown(known.get()).build());
                out.onCompleted();
            }
        }).build().start();
        registration = new SignalingRegistration(InProcessChannelBuilder.forName(name).directExecutor().build(),
                RegisterStreamerRequest.newBuilder().setStreamerId("streamer-1").setControlAddress("127.0.0.1:1")
                        .setBusPath("/bus/streamer-1").setMaxSessions(8).setNodeId("node-a")
                        .setRendererAddress("127.0.0.1:50061").build(),
                new SignalingRegistration.Status() {
                    @Override
                    public List<String> liveSessions() {
                        return List.copyOf(live);
                    }

                    @Override
                    public boolean draining() {
                        return draining.get();
                    }

                    @Override
                    public float load() {
                        return 0.375f;
                    }
                });
        registration.start();
    }

    @Test
    void registersWithItsNodeThenHeartbeatsStateAndLoad() throws Exception {
        start();
        RegisterStreamerRequest r = registrations.poll(10, TimeUnit.SECONDS);
        assertNotNull(r);
        assertEquals("node-a", r.getNodeId());
        assertEquals("127.0.0.1:50061", r.getRendererAddress());
        assertEquals(List.of(), r.getLiveSessionsList());
        HeartbeatRequest h = heartbeats.poll(10, TimeUnit.SECONDS);
        assertNotNull(h);
        assertEquals(NodeState.NODE_STATE_SERVING, h.getState());
        assertEquals(0.375f, h.getLoad());
        draining.set(true);
        registration.heartbeatNow();
        HeartbeatRequest d;
        do {
            d = heartbeats.poll(10, TimeUnit.SECONDS);
            assertNotNull(d);
        } while (d.getState() != NodeState.NODE_STATE_DRAINING);
        assertTrue(registration.registered());
    }

    @Test
    void forgottenItRegistersAgainWithItsLiveSessionsAndKeepsThem() throws Exception {
        live.addAll(List.of("s1", "s2"));
        start();
        assertEquals(List.of("s1", "s2"), registrations.poll(10, TimeUnit.SECONDS).getLiveSessionsList());
        live.remove("s1");
        known.set(false); // signaling restarted: the next heartbeat says so
        RegisterStreamerRequest again = registrations.poll(10, TimeUnit.SECONDS);
        assertNotNull(again, "registered again");
        assertEquals(List.of("s2"), again.getLiveSessionsList());
        assertEquals(List.of("s2"), live, "nothing closed its sessions");
    }
}
