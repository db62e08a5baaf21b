package io.kvl.efficientnet.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds an ONNX model (ModelProto, default domain) node by node and serializes it. Field numbers
 * are those of {@code onnx.proto}; only the subset a feed-forward CNN needs is written.
 */
public final class OnnxGraph {
    /** Operator set the models are written against. */
    public static final int OPSET = 17;

    /** IR version that goes with {@link #OPSET}. */
    private static final int IR_VERSION = 8;

    /** {@code TensorProto.DataType} values. */
    public enum DataType {
        FLOAT(1),
        UINT8(2),
        INT8(3),
        INT32(6),
        INT64(7);

        final int code;

        DataType(int code) {
            this.code = code;
        }
    }

    /** One node attribute: an int, a list of ints or a float. */
    public record Attribute(String name, long[] ints, Float value, boolean list) {
        public static Attribute of(String name, long value) {
            return new Attribute(name, new long[] {value}, null, false);
        }

        public static Attribute ints(String name, long... values) {
            return new Attribute(name, values, null, true);
        }

        public static Attribute of(String name, float value) {
            return new Attribute(name, null, value, false);
        }

        ProtoWriter proto() {
            ProtoWriter a = new ProtoWriter().string(1, name);
            if (value != null) {
                return a.float32(2, value).int64(20, 1);
            }
            if (list) {
                return a.packedInt64(8, ints).int64(20, 7);
            }
            return a.int64(3, ints[0]).int64(20, 2);
        }
    }

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** Declares a graph input; a negative dimension is symbolic ({@code batch}). */
    public String input(String tensor, DataType type, long... dims) {
        inputs.add(valueInfo(tensor, type, dims));
        return declare(tensor);
    }

    /** Declares a graph output; without dimensions its shape is left to shape inference. */
    public void output(String tensor, DataType type, long... dims) {
        outputs.add(valueInfo(tensor, type, dims));
    }

    /** A float32 constant. */
    public String constant(String tensor, long[] dims, float[] values) {
        ByteBuffer b = buffer(values.length * 4);
        b.asFloatBuffer().put(values);
        return constant(tensor, DataType.FLOAT, dims, b.array());
    }

    /** An int32 constant. */
    public String constant(String tensor, long[] dims, int[] values) {
        ByteBuffer b = buffer(values.length * 4);
        b.asIntBuffer().put(values);
        return constant(tensor, DataType.INT32, dims, b.array());
    }

    /** A constant of one-byte elements ({@code UINT8} or {@code INT8}). */
    public String constant(String tensor, DataType type, long[] dims, byte[] raw) {
        initializers.add(
                new ProtoWriter()
                        .packedInt64(1, dims)
                        .int64(2, type.code)
                        .string(8, tensor)
                        .bytes(9, raw));
        return declare(tensor);
    }

    /** Adds a node with one output named {@code output} and returns that name. */
    public String node(String op, List<String> in, String output, Attribute... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) {
            if (!names.contains(i)) {
                throw new IllegalArgumentException(op + " " + output + ": unknown input " + i);
            }
            n.string(1, i);
        }
        n.string(2, output).string(3, output).string(4, op);
        for (Attribute a : attributes) {
            n.message(5, a.proto());
        }
        nodes.add(n);
        return declare(output);
    }

    /** The serialized ModelProto. */
    public byte[] toModel(String producer, String version) {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        return new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, producer)
                .string(3, version)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").int64(2, OPSET))
                .toByteArray();
    }

    private String declare(String tensor) {
        if (!names.add(tensor)) {
            throw new IllegalArgumentException("tensor " + tensor + " defined twice");
        }
        return tensor;
    }

    private static ProtoWriter valueInfo(String tensor, DataType type, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            shape.message(
                    1,
                    d < 0 ? new ProtoWriter().string(2, "batch") : new ProtoWriter().int64(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, type.code);
        if (dims.length > 0) {
            tensorType.message(2, shape);
        }
        return new ProtoWriter()
                .string(1, tensor)
                .message(2, new ProtoWriter().message(1, tensorType));
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
