package io.facecast.renderer.neural;

import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.audio.Resampler;
import io.facecast.renderer.segment.AudioDrivenMouth;

/**
 * One utterance's mouth from a {@link LipSyncModel}, Wav2Lip style: the bus audio is resampled to 16 kHz and turned
 * into mel frames as it arrives; frame j gets the 16 mel frames from {@code floor(80 j / fps)} on (200 ms of audio
 * from the frame's start, so a frame is ready about 170 ms of audio after it ends), together with the session's
 * constant face input.
 */
final class NeuralMouth implements AudioDrivenMouth {
    private static final Resampler TO_MODEL_RATE = new Resampler(BusAudio.SAMPLE_RATE, MelSpectrogram.SAMPLE_RATE);

    private final LipSyncModel model;
    private final LipSync.Face face;
    private final int fps;
    private final Resampler.Stream resampler = TO_MODEL_RATE.stream();
    private final StreamingMel mel = new StreamingMel();
    private final float[] window = new float[LipSyncModel.MEL_BANDS * LipSyncModel.MEL_STEPS];

    NeuralMouth(LipSyncModel model, LipSync.Face face, int fps) {
        this.model = model;
        this.face = face;
        this.fps = fps;
    }

    /** First mel frame of video frame j's window, as Wav2Lip's {@code int(80. * (j / fps))}. */
    static int melStart(int j, int fps) {
        return (int) ((long) MelSpectrogram.FRAME_RATE * j / fps);
    }

    @Override
    public void audio(short[] pcm, int from, int to) {
        short[] at16k = resampler.push(java.util.Arrays.copyOfRange(pcm, from, to));
        mel.push(at16k, 0, at16k.length);
    }

    @Override
    public void finish() {
        short[] tail = resampler.flush();
        mel.push(tail, 0, tail.length);
        mel.finish();
    }

    @Override
    public boolean ready(int j) {
        return mel.finished() || mel.frames() >= melStart(j, fps) + LipSyncModel.MEL_STEPS;
    }

    @Override
    public byte[] patch(int j) {
        int start = melStart(j, fps);
        mel.window(start, LipSyncModel.MEL_STEPS, window);
        float[] out = model.infer(window, face.input());
        mel.discardBefore(Math.min(start, mel.frames() - LipSyncModel.MEL_STEPS));
        return face.crop().mouthPatch(out, face.frameRgb());
    }
}
