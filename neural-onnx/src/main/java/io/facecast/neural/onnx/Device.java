package io.facecast.neural.onnx;

import io.facecast.renderer.neural.LipSyncException;

import java.util.Locale;

/** Where the model runs: the CPU, or CUDA device {@code index}. */
record Device(boolean cuda, int index) {
    static final Device CPU = new Device(false, 0);

    /** "cpu", "cuda" (device 0) or "cuda:N". */
    static Device parse(String spec) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda") || s.equals("gpu")) {
            return new Device(true, 0);
        }
        if (s.startsWith("cuda:")) {
            try {
                int n = Integer.parseInt(s.substring(5));
                if (n >= 0) {
                    return new Device(true, n);
                }
            } catch (NumberFormatException ignored) {
                // falls through to the message below
            }
        }
        throw new LipSyncException("unknown lip-sync device '" + spec + "'; use cpu, cuda or cuda:N");
    }

    @Override
    public String toString() {
        return cuda ? "cuda:" + index : "cpu";
    }
}
