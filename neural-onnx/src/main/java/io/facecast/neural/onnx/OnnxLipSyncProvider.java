package io.facecast.neural.onnx;

import io.facecast.renderer.neural.LipSyncModel;
import io.facecast.renderer.neural.LipSyncModelProvider;

import java.nio.file.Path;
import java.util.Locale;

/** Runs {@code .onnx} lip-sync models with ONNX Runtime; registered for {@link java.util.ServiceLoader}. */
public final class OnnxLipSyncProvider implements LipSyncModelProvider {
    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public boolean accepts(Path model) {
        return model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public LipSyncModel load(Path model, String device) {
        return OnnxLipSyncModel.open(model, Device.parse(device));
    }
}
