package io.facecast.renderer.neural;

import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.segment.AudioDrivenMouth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * The renderer's mouth source: procedural ({@link #NONE}, mouth poses drawn by the avatar) or a neural lip-sync
 * model loaded at start-up ({@code --lipsync-model}) that then drives the mouth of every session's speech.
 */
public final class LipSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LipSync.class);

    public static final LipSync NONE = new LipSync(null);

    /** What the model sees of one avatar: constant for the session, so computed once. */
    record Face(FaceCrop crop, float[] input, int[] frameRgb) {}

    private final LipSyncModel model;
    private final Map<Avatar, Face> faces = new WeakHashMap<>();

    public LipSync(LipSyncModel model) {
        this.model = model;
    }

    /**
     * Loads {@code modelFile} with the first {@link LipSyncModelProvider} on the class path that accepts it.
     *
     * @throws LipSyncException when the file is missing, no provider is on the class path or none accepts it, or
     *         the provider cannot load it on {@code device}
     */
    public static LipSync load(Path modelFile, String device, ClassLoader loader) {
        if (!Files.isRegularFile(modelFile)) {
            throw new LipSyncException("lip-sync model " + modelFile + " is not a readable file");
        }
        List<String> seen = new ArrayList<>();
        for (LipSyncModelProvider p : ServiceLoader.load(LipSyncModelProvider.class, loader)) {
            seen.add(p.name());
            if (p.accepts(modelFile)) {
                LipSyncModel m = p.load(modelFile, device);
                log.info("neural lip-sync: {}", m.describe());
                return new LipSync(m);
            }
        }
        if (seen.isEmpty()) {
            throw new LipSyncException("no lip-sync model provider on the class path to load " + modelFile
                    + "; put the neural-onnx plug-in on it (see README, \"Neural lip-sync plug-in\")");
        }
        throw new LipSyncException("none of the lip-sync model providers on the class path " + seen + " reads " + modelFile
                + " (the ONNX provider wants a .onnx file)");
    }

    public boolean enabled() {
        return model != null;
    }

    /** The mouth of one utterance of a session showing {@code avatar}; null when the avatar draws the mouth. */
    public AudioDrivenMouth mouthFor(Avatar avatar, int fps) {
        if (model == null) {
            return null;
        }
        return new NeuralMouth(model, face(avatar), fps);
    }

    Face face(Avatar avatar) {
        synchronized (faces) {
            return faces.computeIfAbsent(avatar, a -> {
                FaceCrop crop = FaceCrop.around(a.mouthRegion(), a.width(), a.height(), model.faceSize());
                int[] rgb = I420ToRgb.convert(a.idleBase(), a.width(), a.height());
                return new Face(crop, crop.input(rgb), rgb);
            });
        }
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
