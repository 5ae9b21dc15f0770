package io.facecast.renderer.control;

import io.facecast.internal.v1.MediaSpec;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererInterruptRequest;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;
import io.facecast.internal.v1.RendererSpeakRequest;
import io.facecast.internal.v1.SessionRef;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.SegmentObserver;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class RendererControlServiceTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path bus;
    Server server;
    ManagedChannel channel;
    RendererControlGrpc.RendererControlBlockingStub stub;
    ExecutorService pool;
    BusAppenders buses;
    RenderSessions sessions;

    @BeforeEach
    void start() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        buses = new BusAppenders();
        sessions = new RenderSessions(SharedTts.get(), AvatarRegistry.builtIn(), buses, pool, SegmentObserver.NONE);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new RendererControlService(sessions)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = RendererControlGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        sessions.close();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        buses.close();
    }

    @Test
    void openSpeakInterruptCloseSucceedForAValidSession() {
        RendererOpenResponse r = stub.openSession(RendererOpenRequest.newBuilder().setSessionId("s1")
                .setMedia(MediaSpec.newBuilder().setWidth(256).setHeight(256).setFps(25)).setBusPath(bus.toString()).build());
        assertEquals("default", r.getAvatar());
        assertEquals("default", r.getVoice());
        stub.speak(RendererSpeakRequest.newBuilder().setSessionId("s1").setUtteranceId(1).setText("Hi there.").build());
        stub.interrupt(RendererInterruptRequest.newBuilder().setSessionId("s1").setDiscardThroughUtteranceId(1).build());
        stub.closeSession(SessionRef.newBuilder().setSessionId("s1").build());
        assertEquals(0, sessions.openSessions());
    }

    @Test
    void errorsCarryPreciseCodesAndActionableMessages() {
        expect(Status.Code.NOT_FOUND, "no session 'ghost'", () -> stub.speak(
                RendererSpeakRequest.newBuilder().setSessionId("ghost").setUtteranceId(1).setText("hi").build()));
        expect(Status.Code.NOT_FOUND, "no session 'ghost'", () -> stub.interrupt(
                RendererInterruptRequest.newBuilder().setSessionId("ghost").build()));
        expect(Status.Code.NOT_FOUND, "no session 'ghost'", () -> stub.closeSession(SessionRef.newBuilder().setSessionId("ghost").build()));
        expect(Status.Code.NOT_FOUND, "known avatars: [ada, default]", () -> stub.openSession(open("s").setAvatar("gollum").build()));
        expect(Status.Code.NOT_FOUND, "known voices: [default, kevin16]", () -> stub.openSession(open("s").setVoice("hal").build()));
        expect(Status.Code.INVALID_ARGUMENT, "use 24, 25 or 30", () -> stub.openSession(
                open("s").setMedia(MediaSpec.newBuilder().setFps(60)).build()));
        expect(Status.Code.INVALID_ARGUMENT, "media.width 100001", () -> stub.openSession(
                open("s").setMedia(MediaSpec.newBuilder().setWidth(100001)).build()));
        expect(Status.Code.INVALID_ARGUMENT, "bus_path is required", () -> stub.openSession(open("s").setBusPath("").build()));
        stub.openSession(open("s").build());
        expect(Status.Code.ALREADY_EXISTS, "already open", () -> stub.openSession(open("s").build()));
        expect(Status.Code.INVALID_ARGUMENT, "text is empty", () -> stub.speak(
                RendererSpeakRequest.newBuilder().setSessionId("s").setUtteranceId(1).build()));
    }

    private RendererOpenRequest.Builder open(String id) {
        return RendererOpenRequest.newBuilder().setSessionId(id).setBusPath(bus.toString());
    }

    private static void expect(Status.Code code, String message, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(message), e.getStatus().getDescription());
    }
}
