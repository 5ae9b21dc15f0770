package io.facecast.renderer.control;

import io.facecast.renderer.BusFixture;
import com.google.protobuf.ByteString;
import io.facecast.api.v1.AudioFormat;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusMessage.Audio;
import io.facecast.bus.BusMessage.SegmentEnd;
import io.facecast.bus.BusMessage.SegmentStart;
import io.facecast.bus.BusMessage.Video;
import io.facecast.bus.RecordKind;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.internal.v1.RendererControlGrpc;
import io.facecast.internal.v1.RendererInterruptRequest;
import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererSpeakAudioRequest;
import io.facecast.internal.v1.RendererSpeakAudioStart;
import io.facecast.internal.v1.RendererSpeakRequest;
import io.facecast.internal.v1.RendererSpeakResponse;
import io.facecast.renderer.SharedTts;
import io.facecast.renderer.audio.Resampler;
import io.facecast.renderer.audio.TestAudio;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.SegmentObserver;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/** SpeakAudio end to end through in-process gRPC, the real session pool and a real bus queue. */
class SpeakAudioTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path bus;
    Server server;
    ManagedChannel channel;
    RendererControlGrpc.RendererControlStub async;
    RendererControlGrpc.RendererControlBlockingStub blocking;
    ExecutorService pool;
    BusAppenders buses;
    RenderSessions sessions;
    BusFixture.Tail tailer;

    @BeforeEach
    void start() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        buses = new BusAppenders();
        sessions = new RenderSessions(SharedTts.get(), AvatarRegistry.builtIn(), buses, pool, SegmentObserver.NONE);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new RendererControlService(sessions)).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        async = RendererControlGrpc.newStub(channel);
        blocking = RendererControlGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        blocking.openSession(RendererOpenRequest.newBuilder().setSessionId("s").setBusPath(bus.toString())
                .setMedia(MediaSpec.newBuilder().setWidth(256).setHeight(256).setFps(30)).build());
        tailer = BusFixture.tail(bus);
        tailer.drain(); // the session's idle material: the tests look at what comes after it
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        sessions.close();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        buses.close();
        tailer.close();
    }

    /** An upload in progress. */
    final class Upload {
        final CompletableFuture<Status> result = new CompletableFuture<>();
        final StreamObserver<RendererSpeakAudioRequest> up = async.speakAudio(new StreamObserver<>() {
            @Override public void onNext(RendererSpeakResponse r) {}
            @Override public void onError(Throwable t) { result.complete(Status.fromThrowable(t)); }
            @Override public void onCompleted() { result.complete(Status.OK); }
        });

        Upload start(RendererSpeakAudioStart.Builder start) {
            up.onNext(RendererSpeakAudioRequest.newBuilder().setStart(start).build());
            return this;
        }

        Upload chunk(byte[] bytes) {
            up.onNext(RendererSpeakAudioRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build());
            return this;
        }

        Status finish() throws Exception {
            up.onCompleted();
            return result.get(30, TimeUnit.SECONDS);
        }
    }

    static RendererSpeakAudioStart.Builder pcm(long utterance, int rate, int channels) {
        return RendererSpeakAudioStart.newBuilder().setSessionId("s").setUtteranceId(utterance).setText("caption")
                .setPcm(AudioFormat.newBuilder().setSampleRate(rate).setChannels(channels));
    }

    /** Bus records read until {@code until} matches one (included), within 20 s. */
    List<BusMessage> readUntil(Predicate<BusMessage> until) {
        List<BusMessage> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            BusMessage r = tailer.next();
            if (r != null) {
                out.add(r);
                if (until.test(r)) {
                    return out;
                }
            } else {
                Thread.onSpinWait();
            }
        }
        fail("no matching record within 20 s; read " + out.size());
        return out;
    }

    static short[] vowel16k(int samples) {
        short[] a = TestAudio.sine(150, 16000, samples, 6000);
        short[] b = TestAudio.sine(700, 16000, samples, 5000);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) (a[i] + b[i]);
        }
        return out;
    }

    @Test
    void framesFlowFromTheFirstChunkAndTheSegmentCarriesExactlyTheResampledAudio() throws Exception {
        short[] speech = vowel16k(8000);              // 500 ms
        short[] input = TestAudio.concat(speech, new short[4800]); // then 300 ms of silence
        Upload u = new Upload().start(pcm(7, 16000, 1)).chunk(TestAudio.s16le(Arrays.copyOf(input, 1600)));
        // Only 100 ms have been sent: frames must already be on the bus.
        List<BusMessage> early = readUntil(r -> r.kind() == RecordKind.VIDEO);
        assertEquals(RecordKind.SEGMENT_START, early.get(0).kind());
        assertEquals("caption", ((SegmentStart) early.get(0)).text());
        assertEquals(7, early.get(0).utteranceId());
        for (int at = 1600; at < input.length; at += 320) { // then 20 ms chunks
            u.chunk(TestAudio.s16le(Arrays.copyOfRange(input, at, Math.min(input.length, at + 320))));
        }
        assertEquals(Status.Code.OK, u.finish().getCode());

        List<BusMessage> recs = new ArrayList<>(early);
        recs.addAll(readUntil(r -> r.kind() == RecordKind.SEGMENT_END));
        SegmentEnd end = (SegmentEnd) recs.get(recs.size() - 1);
        short[] expected = TestAudio.concat(new Resampler(16000, 48000).resample(input), new short[SegmentMedia.END_PAD_SAMPLES]);
        assertEquals(expected.length, end.totalSamples());
        int frames = SegmentMedia.frameCount(expected.length, 30);
        assertEquals(frames, end.totalFrames());
        assertEquals(2 + 2 * frames, recs.size());

        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        double[] mouthLuma = new double[frames];
        for (int j = 0; j < frames; j++) {
            assertEquals(RecordKind.VIDEO, recs.get(1 + 2 * j).kind());
            assertEquals(RecordKind.AUDIO, recs.get(2 + 2 * j).kind());
            Video v = (Video) recs.get(1 + 2 * j);
            Audio a = (Audio) recs.get(2 + 2 * j);
            assertEquals(j, v.frame());
            assertEquals(SegmentMedia.frameStartSample(j, 30), a.firstSample(), "frame " + j + " audio is aligned");
            audio.write(a.pcm(), 0, a.pcm().length);
            mouthLuma[j] = meanLuma(v.i420(), v.region().width() * v.region().height());
        }
        assertArrayEquals(TestAudio.s16le(expected), audio.toByteArray(), "the bus carries exactly the resampled input");
        // The open mouth shows its dark inside during speech (frames 2..14) and is closed again at the end.
        double closed = mouthLuma[frames - 1];
        for (int j = 2; j < 14; j++) {
            assertTrue(mouthLuma[j] < closed - 3, "frame " + j + " mouth open: luma " + mouthLuma[j] + " vs closed " + closed);
        }
        assertEquals(closed, mouthLuma[frames - 2], 0.5, "mouth at rest over the trailing silence");
    }

    @Test
    void anUploadFailingAfterSomeAudioPlaysWhatCameThenSaysWhy() throws Exception {
        expect(new Upload().start(pcm(11, 16000, 1)).chunk(new byte[32000]).chunk(new byte[(1 << 20) + 2]),
                Status.Code.INVALID_ARGUMENT, "over the 1048576-byte limit");
        List<BusMessage> recs = readUntil(r -> r.kind() == RecordKind.SEGMENT_END && r.utteranceId() == 11);
        SegmentEnd end = (SegmentEnd) recs.get(recs.size() - 1);
        assertTrue(end.totalFrames() >= 30, "the second of audio that came plays: " + end.totalFrames() + " frames");
        assertTrue(end.reason().startsWith("INVALID_ARGUMENT: the uploaded audio failed, so the utterance ended after "
                + "what was received: ") && end.reason().contains("1048576-byte limit"), end.reason());
    }

    @Test
    void aWavUploadIsSpokenAndBrokenUploadsFailPreciselyWhileTheSessionCarriesOn() throws Exception {
        expect(new Upload().start(RendererSpeakAudioStart.newBuilder().setSessionId("s").setUtteranceId(1).setWav(true))
                .chunk("ID3\u0004 this is an mp3".getBytes()), Status.Code.INVALID_ARGUMENT, "not a WAV file");
        byte[] wav = TestAudio.wav16(1, 16000, vowel16k(3200));
        expect(new Upload().start(RendererSpeakAudioStart.newBuilder().setSessionId("s").setUtteranceId(2).setWav(true))
                .chunk(Arrays.copyOf(wav, 30)), Status.Code.INVALID_ARGUMENT, "truncated WAV");
        expect(new Upload().chunk(new byte[4]), Status.Code.INVALID_ARGUMENT, "first SpeakAudio message must be the start");
        expect(new Upload().start(RendererSpeakAudioStart.newBuilder().setSessionId("s").setUtteranceId(3)),
                Status.Code.INVALID_ARGUMENT, "needs the audio encoding");
        expect(new Upload().start(pcm(4, 44101, 1)), Status.Code.INVALID_ARGUMENT, "cannot be resampled");
        expect(new Upload().start(pcm(4, 16000, 3)), Status.Code.INVALID_ARGUMENT, "channels 3 is not supported");
        expect(new Upload().start(pcm(4, 16000, 1).setSessionId("ghost")), Status.Code.NOT_FOUND, "no session 'ghost'");
        expect(new Upload().start(pcm(5, 16000, 1)), Status.Code.INVALID_ARGUMENT, "carried no samples");
        expect(new Upload().start(pcm(6, 16000, 1)).chunk(new byte[(1 << 20) + 2]), Status.Code.INVALID_ARGUMENT, "over the 1048576-byte limit");

        Upload ok = new Upload().start(RendererSpeakAudioStart.newBuilder().setSessionId("s").setUtteranceId(9).setWav(true));
        for (int at = 0; at < wav.length; at += 1000) {
            ok.chunk(Arrays.copyOfRange(wav, at, Math.min(wav.length, at + 1000)));
        }
        assertEquals(Status.Code.OK, ok.finish().getCode());
        List<BusMessage> recs = readUntil(r -> r.kind() == RecordKind.SEGMENT_END && r.utteranceId() == 9);
        SegmentEnd end = (SegmentEnd) recs.get(recs.size() - 1);
        assertEquals(3 * 3200 + SegmentMedia.END_PAD_SAMPLES, end.totalSamples());
        // Nothing of the failed uploads that had no audio reached the bus as a complete segment.
        assertEquals(1, recs.stream().filter(r -> r.kind() == RecordKind.SEGMENT_END).count());
    }

    @Test
    void interruptDuringAnUploadStopsItsFramesAndTheQueueMovesOn() throws Exception {
        Upload u = new Upload().start(pcm(1, 16000, 1)).chunk(TestAudio.s16le(vowel16k(1600)));
        readUntil(r -> r.kind() == RecordKind.VIDEO && r.utteranceId() == 1);
        blocking.interrupt(RendererInterruptRequest.newBuilder().setSessionId("s").setDiscardThroughUtteranceId(1).build());
        for (int i = 0; i < 10; i++) {
            u.chunk(TestAudio.s16le(vowel16k(1600)));
        }
        assertEquals(Status.Code.OK, u.finish().getCode(), "the rest of an interrupted upload is discarded, not an error");
        blocking.speak(RendererSpeakRequest.newBuilder().setSessionId("s").setUtteranceId(2).setText("Next.").build());
        List<BusMessage> recs = readUntil(r -> r.kind() == RecordKind.SEGMENT_END);
        assertEquals(2, recs.get(recs.size() - 1).utteranceId(), "utterance 1 never ended; utterance 2 was spoken after it");
        long framesOf1 = recs.stream().filter(r -> r.kind() == RecordKind.VIDEO && r.utteranceId() == 1).count();
        assertTrue(framesOf1 <= 4, "at most the frames of the first 100 ms (plus the one in flight): " + framesOf1);
    }

    @Test
    void anUploadThatStallsIsEndedWithDeadlineExceededAndWhatArrivedIsSpoken() throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server quick = InProcessServerBuilder.forName(name).addService(new RendererControlService(sessions, null, 300)).build().start();
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        try {
            CompletableFuture<Status> result = new CompletableFuture<>();
            StreamObserver<RendererSpeakAudioRequest> up = RendererControlGrpc.newStub(ch).speakAudio(new StreamObserver<>() {
                @Override public void onNext(RendererSpeakResponse r) {}
                @Override public void onError(Throwable t) { result.complete(Status.fromThrowable(t)); }
                @Override public void onCompleted() { result.complete(Status.OK); }
            });
            up.onNext(RendererSpeakAudioRequest.newBuilder().setStart(pcm(1, 16000, 1)).build());
            up.onNext(RendererSpeakAudioRequest.newBuilder().setChunk(ByteString.copyFrom(TestAudio.s16le(vowel16k(1600)))).build());
            // ...and then nothing: the renderer asked for the next message and none comes.
            Status s = result.get(10, TimeUnit.SECONDS);
            assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode(), String.valueOf(s));
            assertTrue(s.getDescription().startsWith("SpeakAudio upload stalled: no message for 300 ms"), s.getDescription());
            up.onCompleted();
            List<BusMessage> recs = readUntil(r -> r.kind() == RecordKind.SEGMENT_END);
            assertEquals(1, recs.get(recs.size() - 1).utteranceId(), "what arrived (100 ms) was spoken and ended");
            assertEquals(1600 * 3 + SegmentMedia.END_PAD_SAMPLES, ((SegmentEnd) recs.get(recs.size() - 1)).totalSamples());
        } finally {
            ch.shutdownNow();
            quick.shutdownNow();
        }
    }

    @Test
    void anUploadWhoseInterruptArrivedFirstIsDiscardedQuietly() throws Exception {
        blocking.interrupt(RendererInterruptRequest.newBuilder().setSessionId("s").setDiscardThroughUtteranceId(3).build());
        assertEquals(Status.Code.OK, new Upload().start(pcm(3, 16000, 1)).chunk(TestAudio.s16le(vowel16k(1600))).finish().getCode());
        assertEquals(Status.Code.OK, new Upload().start(pcm(2, 16000, 1)).finish().getCode(), "even with no audio at all");
        blocking.speak(RendererSpeakRequest.newBuilder().setSessionId("s").setUtteranceId(4).setText("Four.").build());
        List<BusMessage> recs = readUntil(r -> r.kind() == RecordKind.SEGMENT_END);
        assertEquals(4, recs.get(0).utteranceId(), "nothing of 2 or 3 reached the bus");
    }

    @Test
    void textQueuedBehindAStreamedUtteranceWaitsForItsEnd() throws Exception {
        Upload u = new Upload().start(pcm(1, 48000, 2)).chunk(TestAudio.s16le(new short[2 * 4800]));
        // The upload's messages travel asynchronously: let the renderer take utterance 1 before the text arrives.
        List<BusMessage> recs = new java.util.ArrayList<>(
                readUntil(r -> r.kind() == RecordKind.SEGMENT_START && r.utteranceId() == 1));
        blocking.speak(RendererSpeakRequest.newBuilder().setSessionId("s").setUtteranceId(2).setText("After.").build());
        u.chunk(TestAudio.s16le(new short[2 * 4800]));
        assertEquals(Status.Code.OK, u.finish().getCode());
        recs.addAll(readUntil(r -> r.kind() == RecordKind.SEGMENT_END && r.utteranceId() == 2));
        List<Long> order = recs.stream().filter(r -> r.kind() == RecordKind.SEGMENT_START || r.kind() == RecordKind.SEGMENT_END)
                .map(r -> r.utteranceId() * 10 + (r.kind() == RecordKind.SEGMENT_END ? 1 : 0)).toList();
        assertEquals(List.of(10L, 11L, 20L, 21L), order, "segments are not interleaved");
        SegmentEnd end1 = (SegmentEnd) recs.stream().filter(r -> r.kind() == RecordKind.SEGMENT_END && r.utteranceId() == 1).findFirst().orElseThrow();
        assertEquals(9600 + SegmentMedia.END_PAD_SAMPLES, end1.totalSamples(), "stereo 48 kHz is mixed to mono, not resampled");
    }

    void expect(Upload u, Status.Code code, String message) throws Exception {
        Status s = u.finish();
        assertEquals(code, s.getCode(), s.toString());
        assertTrue(s.getDescription().contains(message), s.getDescription());
    }

    static double meanLuma(byte[] i420, int lumaBytes) {
        long sum = 0;
        for (int i = 0; i < lumaBytes; i++) {
            sum += i420[i] & 0xff;
        }
        return (double) sum / lumaBytes;
    }
}
