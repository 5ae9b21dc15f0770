package io.facecast.neural.onnx;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Just enough of the ONNX model format to write tiny test graphs, hand-encoded with protobuf's wire format. Field
 * numbers are the ONNX spec's (ModelProto, GraphProto, NodeProto, ...); repeated scalars are written unpacked, which
 * every protobuf parser accepts.
 */
final class OnnxWriter {
    static final int FLOAT = 1, INT64 = 7;         // TensorProto.DataType
    static final int ATTR_INT = 2, ATTR_INTS = 7;  // AttributeProto.AttributeType

    /** One protobuf message being written. */
    static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg str(int field, String v) {
            return io(() -> out.writeString(field, v));
        }

        Msg i64(int field, long v) {
            return io(() -> out.writeInt64(field, v));
        }

        Msg i32(int field, int v) {
            return io(() -> out.writeInt32(field, v));
        }

        Msg f32(int field, float v) {
            return io(() -> out.writeFloat(field, v));
        }

        Msg msg(int field, Msg m) {
            return io(() -> out.writeByteArray(field, m.bytes()));
        }

        byte[] bytes() {
            io(out::flush);
            return bytes.toByteArray();
        }

        private interface Io {
            void run() throws IOException;
        }

        private Msg io(Io w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    // ModelProto
    static Msg model(Msg graph, int opset) {
        return new Msg()
                .i64(1, 7)                                        // ir_version 7 (opsets up to 13)
                .str(2, "facecast-test")                          // producer_name
                .msg(7, graph)                                    // graph
                .msg(8, new Msg().str(1, "").i64(2, opset));      // opset_import: default domain
    }

    // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12
    static Msg graph(String name) {
        return new Msg().str(2, name);
    }

    static Msg node(String op, String[] inputs, String output, Msg... attributes) {
        Msg n = new Msg();
        for (String in : inputs) {
            n.str(1, in);
        }
        n.str(2, output).str(3, output + "_node").str(4, op);
        for (Msg a : attributes) {
            n.msg(5, a);
        }
        return n;
    }

    static Msg intsAttr(String name, long... values) {
        Msg a = new Msg().str(1, name).i32(20, ATTR_INTS);
        for (long v : values) {
            a.i64(8, v);
        }
        return a;
    }

    static Msg intAttr(String name, long value) {
        return new Msg().str(1, name).i32(20, ATTR_INT).i64(3, value);
    }

    // TensorProto: dims = 1, data_type = 2, float_data = 4, int64_data = 7, name = 8
    static Msg int64s(String name, long... values) {
        Msg t = new Msg().i64(1, values.length).i32(2, INT64);
        for (long v : values) {
            t.i64(7, v);
        }
        return t.str(8, name);
    }

    static Msg floats(String name, float... values) {
        Msg t = new Msg().i64(1, values.length).i32(2, FLOAT);
        for (float v : values) {
            t.f32(4, v);
        }
        return t.str(8, name);
    }

    /** ValueInfoProto {name = 1, type = 2: TypeProto {tensor_type = 1: {elem_type = 1, shape = 2}}}; dims <= 0 are "N". */
    static Msg floatTensor(String name, long... dims) {
        Msg shape = new Msg();
        for (long d : dims) {
            shape.msg(1, d > 0 ? new Msg().i64(1, d) : new Msg().str(2, "N")); // Dimension: dim_value / dim_param
        }
        Msg tensor = new Msg().i32(1, FLOAT).msg(2, shape);
        return new Msg().str(1, name).msg(2, new Msg().msg(1, tensor));
    }

    /**
     * A stand-in with Wav2Lip's signature: {@code mel} [N, 1, 80, 16] and {@code face} [N, 6, 96, 96] in, the
     * reference half of the faces plus {@code gain x (mean(mel) + 4)} out, [N, 3, 96, 96]: silence (mel at its floor
     * of -4) returns the reference face unchanged, louder audio brightens it.
     */
    static byte[] tinyWav2Lip(float gain) {
        Msg g = graph("tiny_wav2lip")
                .msg(1, node("Slice", new String[] {"face", "starts", "ends", "axes"}, "reference"))
                .msg(1, node("ReduceMean", new String[] {"mel"}, "loudness", intsAttr("axes", 1, 2, 3), intAttr("keepdims", 1)))
                .msg(1, node("Add", new String[] {"loudness", "four"}, "above_floor"))
                .msg(1, node("Mul", new String[] {"above_floor", "gain"}, "shift"))
                .msg(1, node("Add", new String[] {"reference", "shift"}, "mouth"))
                .msg(5, int64s("starts", 3))
                .msg(5, int64s("ends", 6))
                .msg(5, int64s("axes", 1))
                .msg(5, floats("four", 4f))
                .msg(5, floats("gain", gain))
                .msg(11, floatTensor("mel", 0, 1, 80, 16))
                .msg(11, floatTensor("face", 0, 6, 96, 96))
                .msg(12, floatTensor("mouth", 0, 3, 96, 96));
        return model(g, 13).bytes();
    }

    /** A model that takes only faces: not the Wav2Lip signature. */
    static byte[] facesOnly() {
        Msg g = graph("faces_only")
                .msg(1, node("Slice", new String[] {"face", "starts", "ends", "axes"}, "mouth"))
                .msg(5, int64s("starts", 3))
                .msg(5, int64s("ends", 6))
                .msg(5, int64s("axes", 1))
                .msg(11, floatTensor("face", 0, 6, 96, 96))
                .msg(12, floatTensor("mouth", 0, 3, 96, 96));
        return model(g, 13).bytes();
    }

    private OnnxWriter() {}
}
