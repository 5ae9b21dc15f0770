package io.facecast.renderer.control;

import io.facecast.bus.BusMessage;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererSpeakRequest;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.SegmentObserver;
import io.facecast.renderer.tts.VoiceRouter;
import io.facecast.renderer.tts.espeak.EspeakInstalled;
import io.facecast.renderer.tts.http.HttpSpeechSynthesizer;
import io.facecast.renderer.tts.http.LocalSpeechServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sessions on each backend through the control service, onto real queues: espeak-ng (the real library) and the
 * HTTP backend (a real server on 127.0.0.1), next to each other and next to failing ones.
 */
class VoicesTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    record Done(String session, long utterance, SegmentObserver.Outcome outcome) {}

    @TempDir
    Path root;
    LocalSpeechServer speechServer;
    Server server;
    ManagedChannel channel;
    RendererControlGrpc.RendererControlBlockingStub stub;
    ExecutorService pool;
    BusAppenders buses;
    RenderSessions sessions;
    final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    final List<BusFixture.Tail> tailers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        speechServer = new LocalSpeechServer();
        VoiceRouter voices = new VoiceRouter(SharedTts.get(), Optional.of(EspeakInstalled.get()),
                Optional.of(new HttpSpeechSynthesizer(speechServer.uri(), "k", null, Duration.ofSeconds(10))));
        pool = Executors.newFixedThreadPool(2);
        buses = new BusAppenders();
        sessions = new RenderSessions(voices, AvatarRegistry.builtIn(), buses, pool, (s, u, o) -> done.add(new Done(s, u, o)));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new RendererControlService(sessions)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = RendererControlGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
            server.shutdownNow();
            sessions.close();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            buses.close();
        }
        tailers.forEach(BusFixture.Tail::close);
        speechServer.close();
    }

    @Test
    void anEspeakSessionSpeaksOntoTheBusWhileAnUnknownVoiceIsRefused() throws Exception {
        BusFixture.Tail bus = open("e", "espeak:en-us");
        stub.speak(speak("e", 1, "Hello world, this is a test. And here is a second sentence."));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.openSession(openRequest("x", "espeak:martian").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("unknown espeak voice 'martian'; installed voices include espeak:en-us"),
                e.getStatus().getDescription());
        assertEquals(new Done("e", 1, SegmentObserver.Outcome.WRITTEN), done.poll(30, TimeUnit.SECONDS));
        Segment s = Segment.of(BusFixture.drain(bus));
        // about 3.5 s of speech at 30 fps, plus the end pad
        assertTrue(s.frames > 70 && s.frames < 200, s.frames + " frames");
        assertTrue(s.distinctPatches > 10, "the mouth moves: " + s.distinctPatches + " distinct mouth patches");
        assertTrue(s.audibleFraction > 0.4, "audio on the bus: " + s.audibleFraction);

        stub.speak(speak("e", 2, "Still talking."));
        assertEquals(new Done("e", 2, SegmentObserver.Outcome.WRITTEN), done.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void anHttpSessionMovesTheMouthFromTheAudioAndSurvivesEndpointErrors() throws Exception {
        BusFixture.Tail http = open("h", "http:alloy");
        BusFixture.Tail plain = open("d", "default");
        speechServer.status = 500;
        speechServer.body = "{\"error\":\"overloaded\"}".getBytes();
        stub.speak(speak("h", 1, "This one fails."));
        assertEquals(new Done("h", 1, SegmentObserver.Outcome.FAILED), done.poll(30, TimeUnit.SECONDS));
        List<BusMessage> failed = BusFixture.drain(http);
        assertTrue(failed.stream().noneMatch(r -> r.kind() == RecordKind.VIDEO), "a failed first sentence renders nothing");
        assertEquals(RecordKind.SEGMENT_END, failed.get(failed.size() - 1).kind(), "but the empty segment says why, for the client");
        BusMessage.SegmentEnd end = (BusMessage.SegmentEnd) failed.get(failed.size() - 1);
        assertTrue(end.reason().startsWith("UNAVAILABLE: the HTTP speech backend (voice 'http:alloy') failed at sentence 1 of 1"),
                end.reason());

        stub.speak(speak("d", 1, "The default voice carries on."));
        assertEquals(new Done("d", 1, SegmentObserver.Outcome.WRITTEN), done.poll(30, TimeUnit.SECONDS));
        assertTrue(Segment.of(BusFixture.drain(plain)).frames > 20);

        speechServer.status = 200;
        speechServer.body = LocalSpeechServer.speechWav(1400);
        stub.speak(speak("h", 2, "One sentence. And another."));
        assertEquals(new Done("h", 2, SegmentObserver.Outcome.WRITTEN), done.poll(30, TimeUnit.SECONDS));
        Segment s = Segment.of(BusFixture.drain(http));
        // two sentences of 1.4 s each: 2.8 s of audio, 84 frames, plus the end pad
        assertTrue(s.frames >= 84 && s.frames < 84 + 15, s.frames + " frames");
        assertTrue(s.distinctPatches > 5, "the mouth follows the bursts: " + s.distinctPatches);
        assertEquals("{\"model\":\"tts-1\",\"input\":\"And another.\",\"voice\":\"alloy\",\"response_format\":\"wav\"}",
                speechServer.requests.get(speechServer.requests.size() - 1).body(), "sentence by sentence");
    }

    @Test
    void aSentenceFailingMidUtteranceEndsTheSegmentWhereItIs() throws Exception {
        BusFixture.Tail http = open("h", "http:alloy");
        speechServer.failFrom = 1; // the first sentence is spoken, the second fails
        stub.speak(speak("h", 1, "This sentence is spoken. This one fails."));
        assertEquals(new Done("h", 1, SegmentObserver.Outcome.FAILED), done.poll(30, TimeUnit.SECONDS));
        Segment s = Segment.of(BusFixture.drain(http));
        // the first sentence's 0.7 s (21 frames) are on the bus and the segment is closed, so playback goes on
        assertTrue(s.frames >= 18 && s.frames <= 21, s.frames + " frames");
        assertEquals(2, speechServer.requests.size());
    }

    /** What one segment on a bus looks like. */
    record Segment(int frames, int distinctPatches, double audibleFraction) {
        static Segment of(List<BusMessage> records) {
            List<BusMessage> seg = records.stream().filter(r -> r.kind() != RecordKind.IDLE_BASE && r.kind() != RecordKind.IDLE_OVERLAY).toList();
            assertEquals(RecordKind.SEGMENT_START, seg.get(0).kind(), seg.get(0).toString());
            assertEquals(RecordKind.SEGMENT_END, seg.get(seg.size() - 1).kind());
            Set<ByteBuffer> patches = new HashSet<>();
            long audible = 0, samples = 0;
            for (BusMessage r : seg) {
                if (r instanceof BusMessage.Video v) {
                    patches.add(ByteBuffer.wrap(v.i420()));
                } else if (r instanceof BusMessage.Audio a) {
                    byte[] p = a.pcm();
                    for (int i = 0; i + 1 < p.length; i += 2) {
                        audible += Math.abs((short) ((p[i] & 0xff) | p[i + 1] << 8)) > 300 ? 1 : 0;
                    }
                    samples += p.length / 2;
                }
            }
            return new Segment((int) ((BusMessage.SegmentEnd) seg.get(seg.size() - 1)).totalFrames(), patches.size(), (double) audible / samples);
        }
    }

    private BusFixture.Tail open(String id, String voice) {
        Path dir = root.resolve(id);
        BusFixture.Tail t = BusFixture.tail(dir);
        tailers.add(t);
        assertEquals(voice, stub.openSession(openRequest(id, voice).setBusPath(dir.toString()).build()).getVoice());
        return t;
    }

    private RendererOpenRequest.Builder openRequest(String id, String voice) {
        return RendererOpenRequest.newBuilder().setSessionId(id).setVoice(voice).setBusPath(root.resolve(id).toString())
                .setMedia(MediaSpec.newBuilder().setWidth(128).setHeight(128));
    }

    private static RendererSpeakRequest speak(String session, long utterance, String text) {
        return RendererSpeakRequest.newBuilder().setSessionId(session).setUtteranceId(utterance).setText(text).build();
    }
}
