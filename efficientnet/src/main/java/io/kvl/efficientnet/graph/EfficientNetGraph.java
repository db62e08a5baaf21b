package io.kvl.efficientnet.graph;

import io.kvl.efficientnet.spec.Activation;
import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.MbConvBlock;
import io.kvl.efficientnet.weights.FloatTensor;
import io.kvl.efficientnet.weights.ModelWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Builds the EfficientNet inference graph with TensorFlow Java ops (graph mode): raw uint8 RGB NHWC
 * in, class probabilities out, normalization inside. Batch norm is folded into the preceding
 * convolution, so every convolution is Conv + BiasAdd (+ activation) and oneDNN can fuse it.
 *
 * <p>Weights live in variables initialized from placeholders, so the SavedModel stores each weight
 * once (in {@code variables/}) rather than also as a constant in the graph.
 */
public final class EfficientNetGraph {
    /** Signature input name: uint8 {@code [batch, res, res, 3]}. */
    public static final String INPUT = "images";

    /** Signature output name: float32 {@code [batch, classes]}, rows sum to 1. */
    public static final String OUTPUT = "probabilities";

    private final Ops tf;
    private final Architecture arch;
    private final ModelWeights weights;
    private final Padding padding;
    private final List<VariableInit> inits = new ArrayList<>();
    private final Map<String, Ops> scopes = new HashMap<>();
    private final Placeholder<TUint8> input;
    private final Operand<TFloat32> output;

    /** A variable and the value it must be assigned before use. */
    private record VariableInit(Placeholder<TFloat32> feed, Operand<?> assign, FloatTensor value) {}

    private EfficientNetGraph(
            Graph graph,
            Architecture arch,
            ModelWeights weights,
            InputNormalization norm,
            Padding padding) {
        this.tf = Ops.create(graph);
        this.arch = arch;
        this.weights = weights;
        this.padding = padding;
        int res = arch.resolution();
        this.input =
                tf.withName(INPUT)
                        .placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, res, res, 3)));
        // (x - mean) / std: the subtraction stays here, the division is folded into the stem
        // kernel (exact, padding included), saving an elementwise pass over the input.
        Operand<TFloat32> x = center(input, norm);
        x = conv(x, "stem/conv2d", "stem/tpu_batch_normalization", 2, true, reciprocal(norm.std()));
        for (MbConvBlock b : arch.blocks()) {
            x = block(x, b);
        }
        x = conv(x, "head/conv2d", "head/tpu_batch_normalization", 1, true);
        Operand<TFloat32> pooled =
                scoped("head/global_pool").math.mean(x, tf.constant(new int[] {1, 2}));
        Operand<TFloat32> logits =
                scoped("head/logits")
                        .nn
                        .biasAdd(
                                tf.linalg.matMul(
                                        pooled,
                                        variable(
                                                "head/dense/kernel",
                                                weights.get("head/dense/kernel"))),
                                variable("head/dense/bias", weights.get("head/dense/bias")));
        this.output = tf.withName(OUTPUT).nn.softmax(logits);
    }

    /**
     * Builds the graph of {@code arch} in {@code graph}.
     *
     * @throws IllegalArgumentException when {@code weights} do not fit {@code arch}
     */
    public static EfficientNetGraph build(
            Graph graph,
            Architecture arch,
            ModelWeights weights,
            InputNormalization norm,
            Padding padding) {
        weights.validate(arch);
        return new EfficientNetGraph(graph, arch, weights, norm, padding);
    }

    public Placeholder<TUint8> input() {
        return input;
    }

    public Operand<TFloat32> output() {
        return output;
    }

    public Architecture architecture() {
        return arch;
    }

    /** Assigns every variable its (folded) value; run once before inference or export. */
    public void initialize(Session session) {
        for (VariableInit init : inits) {
            try (TFloat32 value = toTensor(init.value())) {
                session.runner().feed(init.feed(), value).addTarget(init.assign()).run();
            }
        }
    }

    private Operand<TFloat32> center(Operand<TUint8> images, InputNormalization norm) {
        Ops s = scope("preprocess");
        Operand<TFloat32> x = s.dtypes.cast(images, TFloat32.class);
        float[] mean = norm.mean();
        return s.nn.biasAdd(x, s.constant(new float[] {-mean[0], -mean[1], -mean[2]}));
    }

    private static float[] reciprocal(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = 1f / v[i];
        }
        return r;
    }

    /** Multiplies an HWIO kernel by a factor per input channel. */
    private static FloatTensor scaleInputs(FloatTensor kernel, float[] scale) {
        long[] shape = kernel.shape();
        int in = (int) shape[2];
        int out = (int) shape[3];
        float[] src = kernel.data();
        float[] dst = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i] * scale[(i / out) % in];
        }
        return new FloatTensor(shape, dst);
    }

    private Operand<TFloat32> block(Operand<TFloat32> input, MbConvBlock b) {
        Operand<TFloat32> x = input;
        if (b.hasExpansion()) {
            x = conv(x, b.expandConv(), b.expandNorm(), 1, true);
        }
        x = depthwise(x, b);
        if (b.hasSqueezeExcitation()) {
            x = squeezeExcite(x, b);
        }
        x = conv(x, b.projectConv(), b.projectNorm(), 1, false);
        if (b.hasSkip()) {
            // Drop-connect is training-only; at inference the skip is a plain add.
            x = scoped(b.scope() + "/add").math.add(x, input);
        }
        return x;
    }

    private Operand<TFloat32> conv(
            Operand<TFloat32> x, String convScope, String normScope, int stride, boolean activate) {
        return conv(x, convScope, normScope, stride, activate, null);
    }

    private Operand<TFloat32> conv(
            Operand<TFloat32> x,
            String convScope,
            String normScope,
            int stride,
            boolean activate,
            float[] inputScale) {
        BatchNormFolding.Folded f =
                BatchNormFolding.fold(
                        weights.get(convScope + "/kernel"),
                        weights,
                        normScope,
                        Architecture.BN_EPSILON);
        int k = (int) f.kernel().shape()[0];
        FloatTensor folded = inputScale == null ? f.kernel() : scaleInputs(f.kernel(), inputScale);
        Operand<TFloat32> kernel = variable(convScope + "/kernel", folded);
        Operand<TFloat32> y =
                tf.nn.conv2d(
                        pad(x, k, stride),
                        kernel,
                        List.of(1L, (long) stride, (long) stride, 1L),
                        paddingName(k, stride));
        y = tf.nn.biasAdd(y, variable(convScope + "/bias", f.bias()));
        return activate ? activation(y) : y;
    }

    private Operand<TFloat32> depthwise(Operand<TFloat32> x, MbConvBlock b) {
        String scope = b.depthwiseConv();
        BatchNormFolding.Folded f =
                BatchNormFolding.fold(
                        weights.get(scope + "/depthwise_kernel"),
                        weights,
                        b.depthwiseNorm(),
                        Architecture.BN_EPSILON);
        Operand<TFloat32> kernel = variable(scope + "/depthwise_kernel", f.kernel());
        long s = b.stride();
        Operand<TFloat32> y =
                tf.nn.depthwiseConv2dNative(
                        pad(x, b.kernel(), b.stride()),
                        kernel,
                        List.of(1L, s, s, 1L),
                        paddingName(b.kernel(), b.stride()));
        y = tf.nn.biasAdd(y, variable(scope + "/bias", f.bias()));
        return activation(y);
    }

    private Operand<TFloat32> squeezeExcite(Operand<TFloat32> x, MbConvBlock b) {
        Operand<TFloat32> s = tf.math.mean(x, tf.constant(new int[] {1, 2}), Mean.keepDims(true));
        s = dense1x1(s, b.seReduce());
        s = activation(s);
        s = dense1x1(s, b.seExpand());
        return tf.math.mul(x, tf.math.sigmoid(s));
    }

    private Operand<TFloat32> dense1x1(Operand<TFloat32> x, String scope) {
        Operand<TFloat32> y =
                tf.nn.conv2d(
                        x,
                        variable(scope + "/kernel", weights.get(scope + "/kernel")),
                        List.of(1L, 1L, 1L, 1L),
                        "VALID");
        return tf.nn.biasAdd(y, variable(scope + "/bias", weights.get(scope + "/bias")));
    }

    private Operand<TFloat32> activation(Operand<TFloat32> x) {
        if (arch.activation() == Activation.RELU6) {
            return tf.nn.relu6(x);
        }
        // Sigmoid * x: TensorFlow's remapper fuses this pattern into one swish kernel.
        return tf.math.mul(x, tf.math.sigmoid(x));
    }

    private Operand<TFloat32> pad(Operand<TFloat32> x, int kernel, int stride) {
        if (padding == Padding.SAME || kernel == 1) {
            return x;
        }
        int p = kernel / 2;
        return tf.pad(
                x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
    }

    private String paddingName(int kernel, int stride) {
        return padding == Padding.SAME || kernel == 1 ? "SAME" : "VALID";
    }

    private Operand<TFloat32> variable(String name, FloatTensor value) {
        Shape shape = Shape.of(value.shape());
        Ops scoped = scoped(name);
        Variable<TFloat32> v = scoped.variable(shape, TFloat32.class);
        Ops init = scope("init");
        Placeholder<TFloat32> feed = init.placeholder(TFloat32.class, Placeholder.shape(shape));
        inits.add(new VariableInit(feed, init.assign(v, feed), value));
        return v;
    }

    /** Ops whose next op is named exactly {@code path} (slash-separated scopes). */
    private Ops scoped(String path) {
        int slash = path.lastIndexOf('/');
        Ops parent = slash < 0 ? tf : scope(path.substring(0, slash));
        return parent.withName(path.substring(slash + 1));
    }

    /**
     * The sub-scope for {@code path}, created once: TF Java makes every {@code withSubScope} call
     * unique ("head", "head_1", ...), so reusing them keeps the official names intact.
     */
    private Ops scope(String path) {
        Ops cached = scopes.get(path);
        if (cached == null) {
            int slash = path.lastIndexOf('/');
            Ops parent = slash < 0 ? tf : scope(path.substring(0, slash));
            cached = parent.withSubScope(path.substring(slash + 1));
            scopes.put(path, cached);
        }
        return cached;
    }

    private static TFloat32 toTensor(FloatTensor t) {
        return TFloat32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
    }
}
