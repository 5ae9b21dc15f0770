package io.facecast.renderer.neural;

import java.nio.file.Path;

/**
 * Loads {@link LipSyncModel}s from model files; found with {@link java.util.ServiceLoader} when its jar is on the
 * renderer's class path (a {@code META-INF/services/io.facecast.renderer.neural.LipSyncModelProvider} entry), so the
 * renderer itself carries no inference runtime.
 */
public interface LipSyncModelProvider {
    /** Short name for flags and logs, e.g. "onnx". */
    String name();

    /** Whether this provider reads files like {@code model} (e.g. by extension). */
    boolean accepts(Path model);

    /**
     * @param device "cpu", or "cuda" / "cuda:N" for a GPU
     * @throws LipSyncException with an actionable message when the file or the device cannot be used
     */
    LipSyncModel load(Path model, String device);
}
