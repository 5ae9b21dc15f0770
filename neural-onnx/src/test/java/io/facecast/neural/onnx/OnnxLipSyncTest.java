package io.facecast.neural.onnx;

import io.facecast.bus.BusMessage;
import io.facecast.bus.I420;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.neural.FaceCrop;
import io.facecast.renderer.neural.I420ToRgb;
import io.facecast.renderer.neural.LipSync;
import io.facecast.renderer.neural.LipSyncException;
import io.facecast.renderer.neural.LipSyncModel;
import io.facecast.renderer.neural.StreamingMel;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.segment.SegmentStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The plug-in's loading and inference path on a tiny Wav2Lip-signature model the test writes itself. */
class OnnxLipSyncTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final float GAIN = 1f;
    static final int FPS = 25;

    @TempDir
    Path dir;

    Path write(String name, byte[] model) throws Exception {
        return Files.write(dir.resolve(name), model);
    }

    /** 16 kHz: a 1 kHz tone of {@code amplitude} (0 = silence). */
    static short[] tone(int samples, double amplitude) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * 1000 * i / 16000.0));
        }
        return s;
    }

    @Test
    void runsTheModelOnPreprocessedAudioAndFace() throws Exception {
        DefaultAvatar avatar = new DefaultAvatar(256, 256);
        int[] rgb = I420ToRgb.convert(avatar.idleBase(), 256, 256);
        FaceCrop crop = FaceCrop.around(avatar.mouthRegion(), 256, 256, 96);
        float[] face = crop.input(rgb);

        short[] speech = tone(16000, 0.5);
        StreamingMel mel = new StreamingMel();
        mel.push(speech, 0, speech.length);
        mel.finish();
        float[] window = new float[80 * 16];
        mel.window(40, 16, window);
        double mean = 0;
        for (float v : window) {
            mean += v;
        }
        mean /= window.length;

        try (LipSyncModel model = new OnnxLipSyncProvider().load(write("tiny.onnx", OnnxWriter.tinyWav2Lip(GAIN)), "cpu")) {
            assertEquals(96, model.faceSize());
            assertTrue(model.describe().contains("on cpu"), model.describe());
            float[] out = model.infer(window, face);
            assertEquals(3 * 96 * 96, out.length);
            int plane = 96 * 96;
            for (int i = 0; i < out.length; i += 97) {
                assertEquals(face[3 * plane + i] + GAIN * (mean + 4), out[i], 1e-5, "value " + i);
            }
            float[] silent = new float[80 * 16];
            java.util.Arrays.fill(silent, -4f);
            float[] still = model.infer(silent, face);
            assertArrayEquals(java.util.Arrays.copyOfRange(face, 3 * plane, 6 * plane), still, 1e-6f,
                    "silence: the reference face comes back");

            int n = 200;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                model.infer(window, face);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / n;
            System.out.printf("tiny Wav2Lip-signature model on CPU: %.3f ms per frame (inference only, %d frames)%n", ms, n);
        }
    }

    @Test
    void theRendererFindsThePluginAndTheMouthFollowsTheAudio() throws Exception {
        Path file = write("tiny.onnx", OnnxWriter.tinyWav2Lip(GAIN));
        DefaultAvatar avatar = new DefaultAvatar(256, 256);
        try (LipSync lipSync = LipSync.load(file, "cpu", getClass().getClassLoader())) {
            assertTrue(lipSync.enabled());
            speak(lipSync, avatar, 50); // warms the JIT up for the timing below
            long t0 = System.nanoTime();
            List<BusMessage> records = speak(lipSync, avatar, 50);
            System.out.printf("neural mouth per frame (resample, mel, ONNX inference, patch, bus records): %.3f ms%n",
                    (System.nanoTime() - t0) / 1e6 / 50);

            List<BusMessage.Video> video = records.stream().filter(r -> r instanceof BusMessage.Video)
                    .map(BusMessage.Video.class::cast).toList();
            assertEquals(50, video.size());
            Region m = avatar.mouthRegion();
            byte[] idle = I420.crop(avatar.idleBase(), 256, 256, m.x(), m.y(), m.width(), m.height());
            double idleLuma = I420.meanLuma(idle, m.width(), 0, 0, m.width(), m.height());
            double silent = I420.meanLuma(video.get(3).i420(), m.width(), 0, 0, m.width(), m.height());
            double speaking = I420.meanLuma(video.get(25).i420(), m.width(), 0, 0, m.width(), m.height());
            assertEquals(idleLuma, silent, 3, "silence: the face as it is");
            assertTrue(speaking > silent + 10, "speech changes the mouth: luma " + silent + " -> " + speaking);
            assertEquals(I420.size(m.width(), m.height()), video.get(25).i420().length);
        }
    }

    /** An utterance of {@code frames} frames, tone in frames 15 to 34, through a segment with the model's mouth. */
    static List<BusMessage> speak(LipSync lipSync, DefaultAvatar avatar, int frames) {
        List<BusMessage> records = new ArrayList<>();
        SegmentStream out = new SegmentStream(rs -> records.addAll(List.of(rs)), "s", 1, avatar, FPS,
                lipSync.mouthFor(avatar, FPS));
        out.start("");
        for (int j = 0; j < frames; j++) {
            int from = SegmentMedia.frameStartSample(j, FPS), to = SegmentMedia.frameStartSample(j + 1, FPS);
            short[] pcm = new short[to - from];
            if (j >= 15 && j < 35) {
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (short) (12000 * Math.sin(2 * Math.PI * 1000 * (from + i) / BusAudio.SAMPLE_RATE));
                }
            }
            out.frame(null, pcm, 0, pcm.length);
        }
        out.end();
        return records;
    }

    @Test
    void aGpuThisBuildCannotUseIsRefusedWithWhatToDo() throws Exception {
        Path file = write("tiny.onnx", OnnxWriter.tinyWav2Lip(GAIN));
        LipSyncException e = assertThrows(LipSyncException.class, () -> new OnnxLipSyncProvider().load(file, "cuda:0"));
        assertTrue(e.getMessage().contains("onnxruntime_gpu") || e.getMessage().contains("CUDA device 0"), e.getMessage());
        assertTrue(e.getMessage().contains("--lipsync-device cpu"), e.getMessage());
        LipSyncException bad = assertThrows(LipSyncException.class, () -> new OnnxLipSyncProvider().load(file, "tpu"));
        assertTrue(bad.getMessage().contains("use cpu, cuda or cuda:N"), bad.getMessage());
    }

    @Test
    void aModelWithoutTheWav2LipSignatureOrNotAModelIsRefused() throws Exception {
        Path facesOnly = write("faces.onnx", OnnxWriter.facesOnly());
        LipSyncException e = assertThrows(LipSyncException.class, () -> new OnnxLipSyncProvider().load(facesOnly, "cpu"));
        assertTrue(e.getMessage().contains("Wav2Lip signature") && e.getMessage().contains("face [-1, 6, 96, 96]"),
                e.getMessage());
        Path garbage = write("garbage.onnx", "not a model".getBytes());
        LipSyncException g = assertThrows(LipSyncException.class,
                () -> LipSync.load(garbage, "cpu", getClass().getClassLoader()));
        assertTrue(g.getMessage().contains("cannot load"), g.getMessage());
        Path wrongKind = write("model.pt", new byte[] {1});
        LipSyncException k = assertThrows(LipSyncException.class,
                () -> LipSync.load(wrongKind, "cpu", getClass().getClassLoader()));
        assertTrue(k.getMessage().contains("[onnx]"), k.getMessage());
    }
}
