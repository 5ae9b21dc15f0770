package io.facecast.renderer.neural;

/**
 * A neural lip-sync model with the Wav2Lip signature, one video frame per call: a window of log-mel audio features
 * and the face crop in, the face crop with a talking mouth out. Implementations live outside the renderer (see
 * {@link LipSyncModelProvider}); the renderer does all pre- and post-processing ({@link MelSpectrogram},
 * {@link FaceCrop}), so an implementation only runs the network.
 *
 * <p>Tensor layouts are Wav2Lip's (its OpenCV pipeline, hence BGR): {@code mel} is [1, 80, 16] (band-major, values
 * normalised to [-4, 4]); {@code face} is [6, S, S] with S = {@link #faceSize()}: the crop with its lower half blacked
 * out, then the unmasked reference crop, each as B, G, R planes in [0, 1]; the result is [3, S, S], B, G, R planes in
 * [0, 1]. {@link #infer} is called from several render threads at once and must be thread-safe.
 */
public interface LipSyncModel extends AutoCloseable {
    int MEL_BANDS = MelSpectrogram.BANDS;
    /** Mel frames per video frame: 16 x 12.5 ms = 200 ms of audio starting at the frame's time. */
    int MEL_STEPS = 16;

    /** Side of the square face crop the model takes and returns (96 for Wav2Lip). */
    int faceSize();

    /** One frame: {@code mel} holds 80 x 16 floats, {@code face} 6 x S x S; returns 3 x S x S floats. */
    float[] infer(float[] mel, float[] face);

    /** What runs, for the log: runtime, device, model file. */
    String describe();

    @Override
    void close();
}
