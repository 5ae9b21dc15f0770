package io.facecast.neural.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.facecast.renderer.neural.LipSyncException;
import io.facecast.renderer.neural.LipSyncModel;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Wav2Lip-signature ONNX model in an ONNX Runtime session. The inputs are told apart by shape, not name (exports
 * call them mel/audio_sequences and face/face_sequences): a [N, 1, 80, 16] float input for the mel window and a
 * [N, 6, S, S] one for the faces; the first output is the [N, 3, S, S] faces. {@link OrtSession#run} is thread-safe,
 * so render threads share the session.
 */
final class OnnxLipSyncModel implements LipSyncModel {
    /** Wav2Lip's crop size, for exports that leave the face dimensions symbolic. */
    static final int DEFAULT_FACE_SIZE = 96;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String melInput, faceInput;
    private final int size;
    private final long[] melShape, faceShape;
    private final String description;

    private OnnxLipSyncModel(OrtEnvironment env, OrtSession session, String melInput, String faceInput, int size,
                             String description) {
        this.env = env;
        this.session = session;
        this.melInput = melInput;
        this.faceInput = faceInput;
        this.size = size;
        this.melShape = new long[] {1, 1, MEL_BANDS, MEL_STEPS};
        this.faceShape = new long[] {1, 6, size, size};
        this.description = description;
    }

    static OnnxLipSyncModel open(Path file, Device device) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (device.cuda()) {
                addCuda(options, device);
            }
            session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new LipSyncException("ONNX Runtime cannot load " + file + " on " + device + ": " + e.getMessage(), e);
        }
        try {
            return bind(env, session, file, device);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void addCuda(OrtSession.SessionOptions options, Device device) throws OrtException {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new LipSyncException("lip-sync device " + device + " asked for, but this ONNX Runtime build has no CUDA "
                    + "execution provider (com.microsoft.onnxruntime:onnxruntime is CPU-only): replace its jar in "
                    + "neural-onnx/target/lib with com.microsoft.onnxruntime:onnxruntime_gpu of the same version and "
                    + "install CUDA 12 and cuDNN 9, or run with --lipsync-device cpu");
        }
        try {
            options.addCUDA(device.index());
        } catch (OrtException e) {
            throw new LipSyncException("CUDA device " + device.index() + " is not usable for the lip-sync model ("
                    + e.getMessage() + "); check nvidia-smi and the CUDA/cuDNN libraries, or run with --lipsync-device cpu", e);
        }
    }

    private static OnnxLipSyncModel bind(OrtEnvironment env, OrtSession session, Path file, Device device) {
        Map<String, long[]> inputs = new LinkedHashMap<>();
        String mel = null, face = null;
        int size = -1;
        try {
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                long[] shape = floatTensorShape(e.getValue());
                inputs.put(e.getKey(), shape);
                if (shape == null || shape.length != 4) {
                    continue;
                }
                if (shape[1] == 1 && matches(shape[2], MEL_BANDS) && matches(shape[3], MEL_STEPS)) {
                    mel = e.getKey();
                } else if (shape[1] == 6 && (shape[2] == shape[3] || shape[2] < 0 || shape[3] < 0)) {
                    face = e.getKey();
                    size = (int) (shape[2] > 0 ? shape[2] : shape[3] > 0 ? shape[3] : DEFAULT_FACE_SIZE);
                }
            }
            if (mel == null || face == null || session.getNumInputs() != 2) {
                throw new LipSyncException(file + " does not have the Wav2Lip signature: its inputs are " + describe(inputs)
                        + "; expected two float inputs, a mel window [N, 1, 80, 16] and faces [N, 6, S, S]");
            }
            NodeInfo out = session.getOutputInfo().values().iterator().next();
            long[] outShape = floatTensorShape(out);
            if (outShape == null || outShape.length != 4 || !matches(outShape[1], 3) || !matches(outShape[2], size)
                    || !matches(outShape[3], size)) {
                throw new LipSyncException(file + " does not have the Wav2Lip signature: its first output "
                        + out.getName() + " is " + (outShape == null ? "not a float tensor" : Arrays.toString(outShape))
                        + "; expected faces [N, 3, " + size + ", " + size + "]");
            }
        } catch (OrtException e) {
            throw new LipSyncException("ONNX Runtime cannot inspect " + file + ": " + e.getMessage(), e);
        }
        String description = "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + " on " + device
                + ", model " + file + " (mel input '" + mel + "', face input '" + face + "', " + size + "x" + size + ")";
        return new OnnxLipSyncModel(env, session, mel, face, size, description);
    }

    private static long[] floatTensorShape(NodeInfo info) {
        if (info.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
            return t.getShape();
        }
        return null;
    }

    /** A symbolic dimension (-1) matches anything. */
    private static boolean matches(long dim, long want) {
        return dim < 0 || dim == want;
    }

    private static String describe(Map<String, long[]> inputs) {
        StringBuilder b = new StringBuilder();
        inputs.forEach((name, shape) -> b.append(b.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(shape == null ? "(not a float tensor)" : Arrays.toString(shape)));
        return b.length() == 0 ? "none" : b.toString();
    }

    @Override
    public int faceSize() {
        return size;
    }

    @Override
    public float[] infer(float[] mel, float[] face) {
        if (mel.length != MEL_BANDS * MEL_STEPS || face.length != 6 * size * size) {
            throw new IllegalArgumentException("mel " + mel.length + " and face " + face.length + " values do not fit "
                    + Arrays.toString(melShape) + " and " + Arrays.toString(faceShape));
        }
        try (OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(mel), melShape);
             OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(face), faceShape);
             OrtSession.Result r = session.run(Map.of(melInput, m, faceInput, f))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] shape = out.getInfo().getShape();
            if (shape.length != 4 || shape[0] != 1 || shape[1] != 3 || shape[2] != size || shape[3] != size) {
                throw new LipSyncException("the lip-sync model returned " + Arrays.toString(shape) + ", expected [1, 3, "
                        + size + ", " + size + "]");
            }
            FloatBuffer fb = out.getFloatBuffer();
            float[] a = new float[fb.remaining()];
            fb.get(a);
            return a;
        } catch (OrtException e) {
            throw new LipSyncException("lip-sync inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // closing releases native memory; nothing to do if it reports an error
        }
    }
}
