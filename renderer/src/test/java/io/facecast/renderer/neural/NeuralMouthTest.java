package io.facecast.renderer.neural;

import io.facecast.bus.BusMessage;
import io.facecast.renderer.BusFixture;
import io.facecast.bus.I420;
import io.facecast.bus.RecordKind;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.segment.SegmentStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The neural mouth in a segment, with a stand-in model (the real runtime is tested in the neural-onnx module). */
class NeuralMouthTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int FPS = 25;

    /** Returns the reference face, brighter the louder the mel window: what the tiny ONNX test model computes. */
    static final class ReferencePlusLoudness implements LipSyncModel {
        final AtomicInteger calls = new AtomicInteger();

        @Override public int faceSize() { return 96; }
        @Override public String describe() { return "stand-in"; }
        @Override public void close() {}

        @Override
        public float[] infer(float[] mel, float[] face) {
            calls.incrementAndGet();
            assertEquals(80 * 16, mel.length);
            assertEquals(6 * 96 * 96, face.length);
            double mean = 0;
            for (float v : mel) {
                mean += v;
            }
            float add = (float) (mean / mel.length + 4);
            float[] out = Arrays.copyOfRange(face, 3 * 96 * 96, 6 * 96 * 96);
            for (int i = 0; i < out.length; i++) {
                out[i] += add;
            }
            return out;
        }
    }

    static short[] frameAudio(int j, boolean tone) {
        int from = SegmentMedia.frameStartSample(j, FPS), to = SegmentMedia.frameStartSample(j + 1, FPS);
        short[] s = new short[to - from];
        if (tone) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (12000 * Math.sin(2 * Math.PI * 1000 * (from + i) / BusAudio.SAMPLE_RATE));
            }
        }
        return s;
    }

    @Test
    void framesWaitForTheirMelWindowThenCarryTheModelsMouthInOrder() {
        DefaultAvatar avatar = new DefaultAvatar(256, 256);
        ReferencePlusLoudness model = new ReferencePlusLoudness();
        LipSync lipSync = new LipSync(model);
        List<BusMessage> records = new ArrayList<>();
        SegmentStream out = new SegmentStream(rs -> records.addAll(List.of(rs)), "s", 7, avatar, FPS,
                lipSync.mouthFor(avatar, FPS));
        out.start("hi");
        int frames = 40;
        byte[] ignored = new byte[I420.size(avatar.mouthRegion().width(), avatar.mouthRegion().height())];
        List<short[]> sent = new ArrayList<>();
        for (int j = 0; j < frames; j++) {
            short[] pcm = frameAudio(j, j >= 10 && j < 30);
            sent.add(pcm);
            out.frame(ignored, pcm, 0, pcm.length);
            assertEquals(j + 1, out.frames(), "frames() counts frames passed in");
            long written = records.stream().filter(r -> r.kind() == RecordKind.VIDEO).count();
            // frame k needs mel frames up to floor(80k/25) + 15, i.e. the 16 kHz sample that x 200 + 400
            int ready = 0;
            while (ready <= j && (NeuralMouth.melStart(ready, FPS) + 15) * 200L + 400 < (long) SegmentMedia.frameStartSample(j + 1, FPS) / 3) {
                ready++;
            }
            assertEquals(ready, written, "after frame " + j);
        }
        out.end();

        List<BusMessage.Video> video = BusFixture.only(records, BusMessage.Video.class);
        List<BusMessage.Audio> audio = BusFixture.only(records, BusMessage.Audio.class);
        assertEquals(frames, video.size());
        assertEquals(frames, model.calls.get());
        long samples = 0;
        for (int j = 0; j < frames; j++) {
            assertEquals(j, video.get(j).frame());
            assertEquals(samples, audio.get(j).firstSample());
            assertArrayEquals(BusAudio.toS16le(sent.get(j), 0, sent.get(j).length), audio.get(j).pcm());
            samples += sent.get(j).length;
        }
        assertEquals(RecordKind.SEGMENT_END, records.get(records.size() - 1).kind());
        BusMessage.SegmentEnd end = (BusMessage.SegmentEnd) records.get(records.size() - 1);
        assertEquals(frames, end.totalFrames());
        assertEquals(samples, end.totalSamples());

        Region m = avatar.mouthRegion();
        byte[] idleMouth = I420.crop(avatar.idleBase(), 256, 256, m.x(), m.y(), m.width(), m.height());
        double idle = I420.meanLuma(idleMouth, m.width(), 0, 0, m.width(), m.height());
        double silent = I420.meanLuma(video.get(2).i420(), m.width(), 0, 0, m.width(), m.height());
        double speaking = I420.meanLuma(video.get(20).i420(), m.width(), 0, 0, m.width(), m.height());
        assertEquals(idle, silent, 3, "silence: the model returns the face it was given");
        assertTrue(speaking > silent + 10, "speech moves the mouth: luma " + silent + " -> " + speaking);
    }

    @Test
    void withoutAModelTheAvatarDrawsTheMouth() {
        assertFalse(LipSync.NONE.enabled());
        assertNull(LipSync.NONE.mouthFor(new DefaultAvatar(128, 128), FPS));
    }

    @Test
    void loadingNeedsAFileAndAProviderAndSaysWhatToDo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        LipSyncException missing = assertThrows(LipSyncException.class,
                () -> LipSync.load(dir.resolve("nope.onnx"), "cpu", getClass().getClassLoader()));
        assertTrue(missing.getMessage().contains("not a readable file"), missing.getMessage());
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("m.onnx"), new byte[] {1});
        LipSyncException none = assertThrows(LipSyncException.class,
                () -> LipSync.load(file, "cpu", getClass().getClassLoader()));
        assertTrue(none.getMessage().contains("neural-onnx"), none.getMessage());
    }
}
