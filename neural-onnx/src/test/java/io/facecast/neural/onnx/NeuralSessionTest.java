package io.facecast.neural.onnx;

import io.facecast.bus.BusMessage;
import io.facecast.bus.BusTailer;
import io.facecast.bus.I420;
import io.facecast.internal.v1.MediaSpec;
import io.facecast.renderer.audio.Resampler;
import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.neural.LipSync;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.session.AudioUpload;
import io.facecast.renderer.session.BusAppenders;
import io.facecast.renderer.session.LookAheadGates;
import io.facecast.renderer.session.RenderSessions;
import io.facecast.renderer.session.SegmentObserver;
import io.facecast.renderer.tts.FreeTtsSynthesizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The renderer's sessions with the plug-in's model as their mouth: uploaded audio and synthesized text. */
class NeuralSessionTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path dir;

    @Test
    void sessionsSpeakWithTheModelsMouth() throws Exception {
        Path bus = Files.createDirectories(dir.resolve("bus"));
        Path model = Files.write(dir.resolve("tiny.onnx"), OnnxWriter.tinyWav2Lip(1f));
        BlockingQueue<SegmentObserver.Outcome> done = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        BusAppenders buses = new BusAppenders();
        try (LipSync lipSync = LipSync.load(model, "cpu", getClass().getClassLoader());
             BusTailer tailer = BusTailer.ofSession(bus, "s")) {
            RenderSessions sessions = new RenderSessions(new FreeTtsSynthesizer(1), AvatarRegistry.builtIn(), buses, pool,
                    (session, utterance, outcome) -> done.add(outcome), LookAheadGates.NONE, lipSync);
            sessions.open("s", "default", "default", MediaSpec.newBuilder().setWidth(256).setHeight(256).setFps(25).build(),
                    bus.toString());

            short[] input = new short[16000 * 11 / 10]; // 300 ms silence, 500 ms of 1 kHz, 300 ms silence
            for (int i = 4800; i < 12800; i++) {
                input[i] = (short) (12000 * Math.sin(2 * Math.PI * 1000 * i / 16000.0));
            }
            AudioUpload up = sessions.speakAudio("s", 1, false, 16000, 1, "tone");
            for (int at = 0; at < input.length; at += 640) { // 40 ms chunks
                up.accept(s16le(input, at, Math.min(input.length, at + 640)));
            }
            up.finish();
            sessions.speak("s", 2, "Hello there.", false);
            assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(60, TimeUnit.SECONDS));
            assertEquals(SegmentObserver.Outcome.WRITTEN, done.poll(60, TimeUnit.SECONDS));
            sessions.close();

            List<BusMessage> records = new ArrayList<>();
            for (BusMessage r; (r = tailer.next()) != null; ) {
                records.add(r);
            }
            DefaultAvatar avatar = new DefaultAvatar(256, 256);
            Region m = avatar.mouthRegion();
            double idle = I420.meanLuma(I420.crop(avatar.idleBase(), 256, 256, m.x(), m.y(), m.width(), m.height()),
                    m.width(), 0, 0, m.width(), m.height());

            List<BusMessage.Video> tone = videoOf(records, 1);
            int samples = new Resampler(16000, 48000).resample(input).length + SegmentMedia.END_PAD_SAMPLES;
            assertEquals(SegmentMedia.frameCount(samples, 25), tone.size(), "one frame per 40 ms, as without a model");
            for (int j = 0; j < tone.size(); j++) {
                assertEquals(j, tone.get(j).frame());
                assertEquals(m.width() * m.height() * 3 / 2, tone.get(j).i420().length);
            }
            assertEquals(idle, luma(tone.get(1), m), 3, "silence: the idle face");
            assertTrue(luma(tone.get(12), m) > idle + 10, "the tone moves the mouth: " + luma(tone.get(12), m) + " vs " + idle);
            assertEquals(idle, luma(tone.get(tone.size() - 1), m), 3, "silence again at the end");

            List<BusMessage.Video> text = videoOf(records, 2);
            assertTrue(text.size() > 10, "synthesized speech has frames: " + text.size());
            double loudest = text.stream().mapToDouble(v -> luma(v, m)).max().orElseThrow();
            assertTrue(loudest > idle + 5, "speech moves the mouth: " + loudest + " vs " + idle);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            buses.close();
        }
    }

    static List<BusMessage.Video> videoOf(List<BusMessage> records, long utterance) {
        return records.stream().filter(x -> x.utteranceId() == utterance && x instanceof BusMessage.Video)
                .map(BusMessage.Video.class::cast).toList();
    }

    static double luma(BusMessage.Video video, Region m) {
        return I420.meanLuma(video.i420(), m.width(), 0, 0, m.width(), m.height());
    }

    static byte[] s16le(short[] pcm, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate(2 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            b.putShort(pcm[i]);
        }
        return b.array();
    }
}
