package io.kvl.efficientnet.graph;

import io.kvl.efficientnet.onnx.OnnxGraph;
import io.kvl.efficientnet.onnx.OnnxGraph.Attribute;
import io.kvl.efficientnet.onnx.OnnxGraph.DataType;
import io.kvl.efficientnet.spec.Activation;
import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.MbConvBlock;
import io.kvl.efficientnet.weights.FloatTensor;
import io.kvl.efficientnet.weights.ModelWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the EfficientNet inference graph as ONNX (opset {@value OnnxGraph#OPSET}) from the same
 * spec, weights and folding as {@link EfficientNetGraph}: uint8 RGB NHWC in, probabilities out,
 * normalization inside, batch norm folded into every convolution, TensorFlow's SAME padding written
 * out as explicit pads. Three forms come from one builder:
 *
 * <ul>
 *   <li>{@link #fp32}: float32 throughout;
 *   <li>{@link #calibration}: the float32 graph that also outputs every activation the INT8 form
 *       quantizes, to measure their ranges;
 *   <li>{@link #int8}: QDQ static quantization (ONNX Runtime's format): uint8 activations with
 *       calibrated ranges, int8 weights per output channel, int32 biases, around every convolution
 *       except the tiny squeeze-excitation ones; pooling and the classifier stay float. ONNX
 *       Runtime fuses each {@code DequantizeLinear -> Conv -> QuantizeLinear} into an integer
 *       convolution. ReLU6 needs no node: the quantizer's range [0, max <= 6] clamps the same way.
 * </ul>
 */
public final class EfficientNetOnnx {
    /** File name of the float32 model inside an export directory. */
    public static final String FILE = "model.onnx";

    /** File name of the INT8 model inside an export directory. */
    public static final String INT8_FILE = "model-int8.onnx";

    private enum Mode {
        FP32,
        CALIBRATE,
        INT8
    }

    /** The calibration graph and, in output order after the probabilities, what it observes. */
    public record Calibration(byte[] model, List<String> observed) {}

    private final OnnxGraph g;
    private final Architecture arch;
    private final ModelWeights weights;
    private final Padding padding;
    private final Mode mode;
    private final Map<String, ActivationStats> stats;
    private final int weightLevels;
    private final Set<String> observed = new LinkedHashSet<>();

    /** Activation key to its dequantized tensor. */
    private final Map<String, String> dequantized = new HashMap<>();

    /** Dequantized tensor to its scale. */
    private final Map<String, Float> scales = new HashMap<>();

    /** Dequantized tensor to its activation key. */
    private final Map<String, String> keys = new HashMap<>();

    private EfficientNetOnnx(
            Architecture arch,
            ModelWeights weights,
            InputNormalization norm,
            Padding padding,
            Mode mode,
            Map<String, ActivationStats> stats,
            int weightLevels) {
        weights.validate(arch);
        this.g = new OnnxGraph(arch.variant().name());
        this.arch = arch;
        this.weights = weights;
        this.padding = padding;
        this.mode = mode;
        this.stats = stats;
        this.weightLevels = weightLevels;
        build(norm);
    }

    /** The float32 model. */
    public static byte[] fp32(
            Architecture arch, ModelWeights weights, InputNormalization norm, Padding padding) {
        return new EfficientNetOnnx(arch, weights, norm, padding, Mode.FP32, Map.of(), 0)
                .serialize();
    }

    /** The float32 model with every activation the INT8 model quantizes as an extra output. */
    public static Calibration calibration(
            Architecture arch, ModelWeights weights, InputNormalization norm, Padding padding) {
        EfficientNetOnnx b =
                new EfficientNetOnnx(arch, weights, norm, padding, Mode.CALIBRATE, Map.of(), 0);
        return new Calibration(b.serialize(), List.copyOf(b.observed));
    }

    /**
     * The QDQ model.
     *
     * @param stats range and channel means of each activation {@link #calibration} observes
     * @param weightLevels largest int8 weight magnitude: 127, or 63 where the CPU multiplies uint8
     *     by int8 with 16-bit saturating adds (x86 without VNNI)
     */
    public static byte[] int8(
            Architecture arch,
            ModelWeights weights,
            InputNormalization norm,
            Padding padding,
            Map<String, ActivationStats> stats,
            int weightLevels) {
        return new EfficientNetOnnx(arch, weights, norm, padding, Mode.INT8, stats, weightLevels)
                .serialize();
    }

    private byte[] serialize() {
        return g.toModel("kvl-efficientnet", String.valueOf(SavedModelExport.GRAPH_VERSION));
    }

    private void build(InputNormalization norm) {
        int res = arch.resolution();
        String x = g.input(EfficientNetGraph.INPUT, DataType.UINT8, -1, res, res, 3);
        // Transpose the bytes, not the floats: a quarter of the memory traffic.
        x = g.node("Transpose", List.of(x), "preprocess/nchw", Attribute.ints("perm", 0, 3, 1, 2));
        x = g.node("Cast", List.of(x), "preprocess/float", Attribute.of("to", 1L));
        float[] mean = norm.mean();
        String m = g.constant("preprocess/mean", new long[] {1, 3, 1, 1}, mean);
        x = g.node("Sub", List.of(x, m), "preprocess/centered");
        // As in the TensorFlow graph: the division by std is folded into the stem kernel.
        float[] std = norm.std();
        float[] inv = {1f / std[0], 1f / std[1], 1f / std[2]};
        x = conv(x, "stem/conv2d", "stem/tpu_batch_normalization", 2, res, inv, true);
        for (MbConvBlock b : arch.blocks()) {
            x = block(x, b);
        }
        x =
                conv(
                        x,
                        "head/conv2d",
                        "head/tpu_batch_normalization",
                        1,
                        arch.headInputSize(),
                        null,
                        true);
        x = g.node("GlobalAveragePool", List.of(x), "head/global_pool");
        x = g.node("Flatten", List.of(x), "head/flatten", Attribute.of("axis", 1L));
        String kernel = floats("head/dense/kernel", weights.get("head/dense/kernel"));
        String bias = floats("head/dense/bias", weights.get("head/dense/bias"));
        x = g.node("Gemm", List.of(x, kernel, bias), "head/logits");
        g.node("Softmax", List.of(x), EfficientNetGraph.OUTPUT, Attribute.of("axis", 1L));
        g.output(EfficientNetGraph.OUTPUT, DataType.FLOAT, -1, arch.numClasses());
        for (String o : observed) {
            g.output(o, DataType.FLOAT);
        }
    }

    private String block(String input, MbConvBlock b) {
        String x = input;
        if (b.hasExpansion()) {
            x = conv(x, b.expandConv(), b.expandNorm(), 1, b.inputSize(), null, true);
        }
        x = depthwise(x, b);
        if (b.hasSqueezeExcitation()) {
            x = squeezeExcite(x, b);
        }
        x = conv(x, b.projectConv(), b.projectNorm(), 1, b.outputSize(), null, false);
        if (b.hasSkip()) {
            x = g.node("Add", List.of(quantized(x), quantized(input)), b.scope() + "/add");
        }
        return x;
    }

    /** Convolution with folded batch norm, then the activation when {@code activate}. */
    private String conv(
            String x,
            String scope,
            String normScope,
            int stride,
            int inputSize,
            float[] inputScale,
            boolean activate) {
        BatchNormFolding.Folded f =
                BatchNormFolding.fold(
                        weights.get(scope + "/kernel"),
                        weights,
                        normScope,
                        Architecture.BN_EPSILON);
        FloatTensor kernel = oihw(f.kernel());
        if (inputScale != null) {
            kernel = scaleInputs(kernel, inputScale);
        }
        String y = convolution(x, scope, kernel, f.bias(), stride, inputSize, 1, true);
        return activate ? activation(y, scope) : y;
    }

    private String depthwise(String x, MbConvBlock b) {
        String scope = b.depthwiseConv();
        BatchNormFolding.Folded f =
                BatchNormFolding.fold(
                        weights.get(scope + "/depthwise_kernel"),
                        weights,
                        b.depthwiseNorm(),
                        Architecture.BN_EPSILON);
        FloatTensor kernel = depthwiseOihw(f.kernel());
        String y =
                convolution(
                        x,
                        scope,
                        kernel,
                        f.bias(),
                        b.stride(),
                        b.inputSize(),
                        b.expandedChannels(),
                        true);
        return activation(y, scope);
    }

    private String squeezeExcite(String x, MbConvBlock b) {
        // Tiny (1x1 spatial) and sensitive: kept in float in every mode.
        String s = g.node("GlobalAveragePool", List.of(x), b.scope() + "/se/pool");
        s = plainConv(s, b.seReduce());
        s = swish(s, b.seReduce());
        s = plainConv(s, b.seExpand());
        s = g.node("Sigmoid", List.of(s), b.scope() + "/se/gate");
        return g.node("Mul", List.of(x, s), b.scope() + "/se/out");
    }

    private String plainConv(String x, String scope) {
        FloatTensor kernel = oihw(weights.get(scope + "/kernel"));
        return convolution(x, scope, kernel, weights.get(scope + "/bias"), 1, 1, 1, false);
    }

    private String convolution(
            String x,
            String scope,
            FloatTensor kernel,
            FloatTensor bias,
            int stride,
            int inputSize,
            int group,
            boolean quantize) {
        int k = (int) kernel.shape()[2];
        long[] pads = pads(k, stride, inputSize);
        List<String> in = new ArrayList<>();
        if (quantize && mode == Mode.INT8) {
            String xq = quantized(x);
            float inputScale = scales.get(xq);
            float[] wScales = weightScales(kernel);
            byte[] wq = roundWeights(kernel, wScales);
            FloatTensor corrected =
                    correctBias(bias, kernel, wq, wScales, group, statsOf(keys.get(xq)));
            in.add(xq);
            in.add(quantizedWeights(scope, kernel.shape(), wq, wScales));
            in.add(quantizedBias(scope, corrected, inputScale, wScales));
        } else {
            in.add(quantize ? quantized(x) : x);
            in.add(floats(scope + "/weights", kernel));
            in.add(floats(scope + "/bias", bias));
        }
        return g.node(
                "Conv",
                in,
                scope + "/conv",
                Attribute.ints("kernel_shape", k, k),
                Attribute.ints("strides", stride, stride),
                Attribute.ints("pads", pads),
                Attribute.of("group", (long) group));
    }

    private String activation(String y, String scope) {
        if (arch.activation() == Activation.RELU6) {
            String name = scope + "/relu6";
            if (mode == Mode.INT8) {
                // Quantizing to [0, max] with max <= 6 is the clip; no Clip node needed.
                return qdq(y, name, rangeOf(name));
            }
            String lo = g.constant(scope + "/relu6_min", new long[0], new float[] {0f});
            String hi = g.constant(scope + "/relu6_max", new long[0], new float[] {6f});
            String out = g.node("Clip", List.of(y, lo, hi), name);
            if (mode == Mode.CALIBRATE) {
                observed.add(out);
            }
            return out;
        }
        return swish(quantized(y), scope);
    }

    private String swish(String y, String scope) {
        String s = g.node("Sigmoid", List.of(y), scope + "/sigmoid");
        return g.node("Mul", List.of(y, s), scope + "/swish");
    }

    /**
     * {@code x} as the INT8 model sees it: quantized with its calibrated range (once, however many
     * consumers). Observed instead in calibration; unchanged in float32.
     */
    private String quantized(String x) {
        if (scales.containsKey(x)) {
            return x;
        }
        return switch (mode) {
            case FP32 -> x;
            case CALIBRATE -> {
                observed.add(x);
                yield x;
            }
            case INT8 -> qdq(x, x, rangeOf(x));
        };
    }

    private String qdq(String x, String key, float[] range) {
        String done = dequantized.get(key);
        if (done != null) {
            return done;
        }
        float scale = scale(range);
        int zeroPoint = Math.round(-Math.min(0f, range[0]) / scale);
        zeroPoint = Math.max(0, Math.min(255, zeroPoint));
        String s = g.constant(key + "/q_scale", new long[0], new float[] {scale});
        String z =
                g.constant(
                        key + "/q_zero",
                        DataType.UINT8,
                        new long[0],
                        new byte[] {(byte) zeroPoint});
        String q = g.node("QuantizeLinear", List.of(x, s, z), key + "/q");
        String dq = g.node("DequantizeLinear", List.of(q, s, z), key + "/dq");
        dequantized.put(key, dq);
        scales.put(dq, scale);
        keys.put(dq, key);
        return dq;
    }

    private float[] rangeOf(String tensor) {
        ActivationStats a = statsOf(tensor);
        return new float[] {a.min(), a.max()};
    }

    private ActivationStats statsOf(String tensor) {
        ActivationStats a = stats.get(tensor);
        if (a == null) {
            throw new IllegalArgumentException("no calibrated statistics for " + tensor);
        }
        return a;
    }

    /** uint8 scale of a range widened to include 0 (so zero padding is exact). */
    private static float scale(float[] range) {
        float lo = Math.min(0f, range[0]);
        float hi = Math.max(0f, range[1]);
        return hi > lo ? (hi - lo) / 255f : 1f;
    }

    private float[] weightScales(FloatTensor oihw) {
        int out = (int) oihw.shape()[0];
        int per = oihw.data().length / out;
        float[] scales = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int i = 0; i < per; i++) {
                max = Math.max(max, Math.abs(oihw.data()[o * per + i]));
            }
            scales[o] = max > 0 ? max / weightLevels : 1f;
        }
        return scales;
    }

    private byte[] roundWeights(FloatTensor oihw, float[] scales) {
        int per = oihw.data().length / scales.length;
        byte[] q = new byte[oihw.data().length];
        for (int i = 0; i < q.length; i++) {
            long v = Math.round(oihw.data()[i] / scales[i / per]);
            q[i] = (byte) Math.max(-weightLevels, Math.min(weightLevels, v));
        }
        return q;
    }

    /**
     * Bias correction: rounding the weights shifts each output channel's mean by {@code sum (w_q -
     * w) * mean(input channel)}; subtracting that from the bias cancels it (zero padding at the
     * borders ignored).
     */
    private static FloatTensor correctBias(
            FloatTensor bias,
            FloatTensor oihw,
            byte[] wq,
            float[] wScales,
            int group,
            ActivationStats input) {
        long[] s = oihw.shape();
        int out = (int) s[0];
        int in = (int) s[1];
        int spatial = (int) (s[2] * s[3]);
        float[] means = input.channelMeans();
        float[] w = oihw.data();
        float[] b = bias.data().clone();
        for (int o = 0; o < out; o++) {
            double shift = 0;
            for (int i = 0; i < in; i++) {
                int channel = group == 1 ? i : o;
                double mean = means[channel];
                for (int k = 0; k < spatial; k++) {
                    int idx = (o * in + i) * spatial + k;
                    shift += (wq[idx] * wScales[o] - w[idx]) * mean;
                }
            }
            b[o] -= (float) shift;
        }
        return new FloatTensor(bias.shape(), b);
    }

    private String quantizedWeights(String scope, long[] shape, byte[] q, float[] scales) {
        int out = scales.length;
        String w = g.constant(scope + "/weights_q", DataType.INT8, shape, q);
        String s = g.constant(scope + "/weights_scale", new long[] {out}, scales);
        String z =
                g.constant(scope + "/weights_zero", DataType.INT8, new long[] {out}, new byte[out]);
        return g.node(
                "DequantizeLinear", List.of(w, s, z), scope + "/weights", Attribute.of("axis", 0L));
    }

    private String quantizedBias(
            String scope, FloatTensor bias, float inputScale, float[] wScales) {
        int out = wScales.length;
        int[] q = new int[out];
        float[] scales = new float[out];
        for (int o = 0; o < out; o++) {
            scales[o] = inputScale * wScales[o];
            q[o] = (int) Math.round(bias.data()[o] / (double) scales[o]);
        }
        String b = g.constant(scope + "/bias_q", new long[] {out}, q);
        String s = g.constant(scope + "/bias_scale", new long[] {out}, scales);
        String z = g.constant(scope + "/bias_zero", new long[] {out}, new int[out]);
        return g.node(
                "DequantizeLinear", List.of(b, s, z), scope + "/bias", Attribute.of("axis", 0L));
    }

    private String floats(String name, FloatTensor t) {
        return g.constant(name, t.shape(), t.data());
    }

    /** [top, left, bottom, right]: TensorFlow's SAME puts the odd pixel at the bottom/right. */
    private long[] pads(int k, int stride, int inputSize) {
        if (k == 1) {
            return new long[] {0, 0, 0, 0};
        }
        if (padding == Padding.SYMMETRIC) {
            long p = k / 2;
            return new long[] {p, p, p, p};
        }
        int out = (inputSize + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + k - inputSize, 0);
        long before = total / 2;
        long after = total - before;
        return new long[] {before, before, after, after};
    }

    /** TensorFlow HWIO {@code [k,k,in,out]} to ONNX OIHW {@code [out,in,k,k]}. */
    static FloatTensor oihw(FloatTensor hwio) {
        long[] s = hwio.shape();
        int kh = (int) s[0];
        int kw = (int) s[1];
        int in = (int) s[2];
        int out = (int) s[3];
        float[] src = hwio.data();
        float[] dst = new float[src.length];
        for (int h = 0; h < kh; h++) {
            for (int w = 0; w < kw; w++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        dst[((o * in + i) * kh + h) * kw + w] =
                                src[((h * kw + w) * in + i) * out + o];
                    }
                }
            }
        }
        return new FloatTensor(new long[] {out, in, kh, kw}, dst);
    }

    /** TensorFlow depthwise {@code [k,k,C,1]} to ONNX grouped {@code [C,1,k,k]}. */
    static FloatTensor depthwiseOihw(FloatTensor hwc1) {
        long[] s = hwc1.shape();
        FloatTensor asHwio = new FloatTensor(new long[] {s[0], s[1], s[3], s[2]}, hwc1.data());
        return oihw(asHwio);
    }

    /** Multiplies an OIHW kernel by a factor per input channel. */
    private static FloatTensor scaleInputs(FloatTensor oihw, float[] scale) {
        long[] s = oihw.shape();
        int in = (int) s[1];
        int spatial = (int) (s[2] * s[3]);
        float[] src = oihw.data();
        float[] dst = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i] * scale[(i / spatial) % in];
        }
        return new FloatTensor(s, dst);
    }
}
