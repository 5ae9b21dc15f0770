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

    /**
     * A client pushing as fast as gRPC lets it is held to the renderer's pace: while the renderer asks for nothing,
     * signaling asks the client for nothing (in-process gRPC is ready only while the receiver has requested), so the
     * client cannot send more than a message or two; once the renderer asks again, every chunk arrives in order.
     */
    @Test
    void aFastClientIsHeldToTheRenderersPaceAndNothingPilesUpInSignaling() throws Exception {
        String id = createNegotiated();
        h.renderer.holdUploads = true;
        int total = 1000;
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Object> result = new CompletableFuture<>();
        h.facecastAsync().speakAudio(new io.grpc.stub.ClientResponseObserver<SpeakAudioRequest, SpeakResponse>() {
            @Override
            public void beforeStart(io.grpc.stub.ClientCallStreamObserver<SpeakAudioRequest> up) {
                up.setOnReadyHandler(() -> {
                    // As fast as the call lets us: every time it is ready, send until it is not.
                    synchronized (sent) {
                        while (up.isReady() && sent.get() <= total) {
                            int n = sent.getAndIncrement();
                            if (n == 0) {
                                up.onNext(SpeakAudioRequest.newBuilder().setStart(pcm(id)).build());
                            } else {
                                byte[] chunk = new byte[640];
                                chunk[0] = (byte) n;
                                up.onNext(SpeakAudioRequest.newBuilder().setChunk(ByteString.copyFrom(chunk)).build());
                            }
                        }
                        if (sent.get() == total + 1) {
                            sent.incrementAndGet();
                            up.onCompleted();
                        }
                    }
                });
            }
            @Override public void onNext(SpeakResponse r) { result.complete(r); }
            @Override public void onError(Throwable t) { result.complete(Status.fromThrowable(t)); }
            @Override public void onCompleted() {}
        });
        awaitTrue(() -> h.renderer.audioUploads.size() == 1);
        FakeRendererServer.AudioUpload upload = h.renderer.audioUploads.get(0);
        Thread.sleep(300); // a window in which an unpaced relay would pull all 1000 chunks (it takes a few ms)
        assertEquals(0, upload.chunks.get(), "the renderer asked for none");
        assertTrue(sent.get() <= 3, "signaling took only what it could pass on, the client sent " + sent.get());

        upload.request(10);
        awaitTrue(() -> upload.chunks.get() == 10);
        Thread.sleep(100);
        assertTrue(sent.get() <= 13, "ten more asked, ten (and at most the one in hand) taken: " + sent.get());

        upload.request(total);
        Object answer = result.get(10, TimeUnit.SECONDS);
        assertTrue(answer instanceof SpeakResponse r && r.getUtteranceId() == 1, String.valueOf(answer));
        assertEquals(total, upload.chunks.get());
        assertTrue(upload.completed);
        byte[] got = upload.bytes.toByteArray();
        assertEquals(total * 640, got.length);
        for (int n = 1; n <= total; n++) {
            assertEquals((byte) n, got[(n - 1) * 640], "chunk " + n + " in order");
        }
    }

    /**
     * The renderer ends an upload that sent nothing for 20 s with DEADLINE_EXCEEDED; that is the client's doing, so
     * the client reads exactly that (not "renderer unavailable"), and the session carries on.
     */
    @Test
    void anUploadTheRendererEndedAsStalledIsDeadlineExceededForTheClient() throws Exception {
        String id = createNegotiated();
        h.renderer.stallUploads = true;
        Upload u = new Upload().start(pcm(id)).chunk(new byte[320]);
        expect(u.result.get(10, TimeUnit.SECONDS), Status.Code.DEADLINE_EXCEEDED, "upload stalled: no message for 20 s");
        u.up.onCompleted();
        h.renderer.stallUploads = false;
        assertEquals(2, ((SpeakResponse) new Upload().start(pcm(id)).chunk(new byte[2]).finish()).getUtteranceId());
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
