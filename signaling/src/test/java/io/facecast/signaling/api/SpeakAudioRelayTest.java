package io.facecast.signaling.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.facecast.api.v1.AudioFormat;
import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.InterruptRequest;
import io.facecast.api.v1.NegotiateRequest;
import io.facecast.api.v1.SpeakAudioRequest;
import io.facecast.api.v1.SpeakAudioStart;
import io.facecast.api.v1.SpeakRequest;
import io.facecast.api.v1.SpeakResponse;
import io.facecast.signaling.support.FakeRendererServer;
import io.facecast.signaling.support.SignalingHarness;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Facecast.SpeakAudio through the real signaling to a fake renderer over in-process gRPC. */
class SpeakAudioRelayTest {

    static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=fake-ok\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

    SignalingHarness h;
    FacecastGrpc.FacecastBlockingStub api;

    @BeforeEach
    void start() throws Exception {
        h = new SignalingHarness();
        api = h.facecast();
        h.addStreamer("s1", 4);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    String createNegotiated() {
        String id = api.createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        api.negotiate(NegotiateRequest.newBuilder().setSessionId(id).setSdpOffer(OFFER).build());
        return id;
    }

    final class Upload {
        final CompletableFuture<Object> result = new CompletableFuture<>(); // SpeakResponse or Status
        final StreamObserver<SpeakAudioRequest> up = h.facecastAsync().speakAudio(new StreamObserver<SpeakResponse>() {
            @Override public void onNext(SpeakResponse r) { result.complete(r); }
            @Override public void onError(Throwable t) { result.complete(Status.fromThrowable(t)); }
            @Override public void onCompleted() {}
        });

        Upload start(SpeakAudioStart.Builder start) {
            up.onNext(SpeakAudioRequest.newBuilder().setStart(start).build());
            return this;
        }

        Upload chunk(byte[] bytes) {
            up.onNext(SpeakAudioRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build());
            return this;
        }

        Object finish() throws Exception {
            up.onCompleted();
            return result.get(10, TimeUnit.SECONDS);
        }
    }

    static SpeakAudioStart.Builder pcm(String id) {
        return SpeakAudioStart.newBuilder().setSessionId(id).setText("  hi  ")
                .setPcm(AudioFormat.newBuilder().setSampleRate(16000).setChannels(1));
    }

    @Test
    void audioUtterancesAreNumberedWithTextOnesAndTheirChunksPassThroughInOrder() throws Exception {
        String id = createNegotiated();
        assertEquals(1, api.speak(SpeakRequest.newBuilder().setSessionId(id).setText("one").build()).getUtteranceId());
        Upload u = new Upload().start(pcm(id)).chunk(new byte[] {1, 2}).chunk(new byte[] {3, 4, 5, 6});
        SpeakResponse r = (SpeakResponse) u.finish();
        assertEquals(2, r.getUtteranceId());
        FakeRendererServer.AudioUpload got = h.renderer.audioUploads.get(0);
        assertEquals(2, got.start.getUtteranceId());
        assertEquals(16000, got.start.getPcm().getSampleRate());
        assertEquals("hi", got.start.getText());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, got.bytes.toByteArray());
        assertTrue(got.completed);
        assertEquals(3, api.speak(SpeakRequest.newBuilder().setSessionId(id).setText("three").build()).getUtteranceId());
    }

    @Test
    void interruptDuringAnUploadDiscardsThroughItsId() throws Exception {
        String id = createNegotiated();
        Upload u = new Upload().start(pcm(id)).chunk(new byte[320]);
        awaitTrue(() -> h.renderer.audioUploads.size() == 1);
        long cut = api.interrupt(InterruptRequest.newBuilder().setSessionId(id).build()).getUtteranceId();
        assertEquals(1, cut);
        assertEquals(List.of("s1 Interrupt " + id + " 1", "renderer Interrupt " + id + " 1"), h.log.matching("Interrupt"));
        u.chunk(new byte[320]);
        assertEquals(1, ((SpeakResponse) u.finish()).getUtteranceId(), "the upload itself completes normally");
    }

    @Test
    void badUploadsGetPreciseStatusesAndTheSessionCarriesOn() throws Exception {
        String notNegotiated = api.createSession(CreateSessionRequest.getDefaultInstance()).getSessionId();
        expect(new Upload().start(pcm(notNegotiated)).finish(), Status.Code.FAILED_PRECONDITION, "not negotiated");
        String id = createNegotiated();
        expect(new Upload().chunk(new byte[2]).finish(), Status.Code.INVALID_ARGUMENT, "first SpeakAudio message must be a start");
        expect(new Upload().start(SpeakAudioStart.newBuilder().setSessionId(id)).finish(), Status.Code.INVALID_ARGUMENT,
                "needs the encoding");
        expect(new Upload().start(pcm("ghost")).finish(), Status.Code.NOT_FOUND, "ghost");
        expect(new Upload().start(pcm(id)).start(pcm(id)).finish(), Status.Code.INVALID_ARGUMENT, "second start");
        expect(new Upload().finish(), Status.Code.INVALID_ARGUMENT, "without a start");

        // The renderer's refusal reaches the client while it is still sending, with the renderer's message.
        Upload wav = new Upload().start(SpeakAudioStart.newBuilder().setSessionId(id).setWav(true)).chunk("ID3 mp3".getBytes());
        Object early = wav.result.get(10, TimeUnit.SECONDS);
        expect(early, Status.Code.INVALID_ARGUMENT, "not a WAV file");
        wav.chunk(new byte[10]);
        wav.up.onCompleted();

        long next = ((SpeakResponse) new Upload().start(pcm(id)).chunk(new byte[2]).finish()).getUtteranceId();
        assertTrue(next > 0);
        assertEquals(next + 1, api.speak(SpeakRequest.newBuilder().setSessionId(id).setText("still fine").build()).getUtteranceId());
    }

    static void expect(Object result, Status.Code code, String fragment) {
        assertTrue(result instanceof Status, "expected an error, got " + result);
        Status s = (Status) result;
        assertEquals(code, s.getCode(), String.valueOf(s.getDescription()));
        assertTrue(s.getDescription().contains(fragment), s.getDescription());
        assertFalse(s.getDescription().contains("Exception"), s.getDescription());
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition within 10 s");
            Thread.sleep(5);
        }
    }
}
