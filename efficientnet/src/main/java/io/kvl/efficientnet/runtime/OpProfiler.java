package io.kvl.efficientnet.runtime;

import io.kvl.efficientnet.graph.EfficientNetGraph;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.tensorflow.TensorFlowNatives;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TUint8;

/**
 * Where inference time goes: runs a model with TensorFlow's full step trace and sums the kernel
 * time per op type (after grappler's rewrites, so fused oneDNN kernels show as such). Uses the same
 * SavedModel and session configuration as {@link EfficientNetModel}.
 */
public final class OpProfiler {
    private OpProfiler() {}

    /** Time spent in one op type over the profiled runs. */
    public record OpTime(String op, long kernels, double millis, double share) {}

    public static List<OpTime> profile(Path modelDir, RuntimeOptions options, int batch, int runs)
            throws IOException {
        ModelInfo info = ModelInfo.read(modelDir);
        TensorFlowNatives.ensureLoaded();
        ConfigProto config = EfficientNetModel.sessionConfig(options);
        try (SavedModelBundle bundle =
                SavedModelBundle.loader(modelDir.toString())
                        .withTags(SavedModelExport.TAG)
                        .withConfigProto(config)
                        .load()) {
            Signature sig = bundle.function(Signature.DEFAULT_KEY).signature();
            String input = sig.getInputs().get(EfficientNetGraph.INPUT).name;
            String output = sig.getOutputs().get(EfficientNetGraph.OUTPUT).name;
            int res = info.resolution();
            byte[] pixels = new byte[batch * res * res * 3];
            new Random(1).nextBytes(pixels);
            Map<String, double[]> byOp = new HashMap<>();
            try (TUint8 images =
                    TUint8.tensorOf(
                            Shape.of(batch, res, res, 3), DataBuffers.of(pixels, true, false))) {
                Session session = bundle.session();
                for (int i = 0; i < 3; i++) {
                    session.runner().feed(input, images).fetch(output).run().close();
                }
                RunOptions trace =
                        RunOptions.newBuilder()
                                .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                                .build();
                for (int i = 0; i < runs; i++) {
                    try (Result r =
                            session.runner()
                                    .feed(input, images)
                                    .fetch(output)
                                    .setOptions(trace)
                                    .runAndFetchMetadata()) {
                        accumulate(r.getMetadata().orElseThrow(), byOp);
                    }
                }
            }
            return summarize(byOp);
        }
    }

    private static void accumulate(RunMetadata meta, Map<String, double[]> byOp) {
        for (DeviceStepStats dev : meta.getStepStats().getDevStatsList()) {
            for (NodeExecStats n : dev.getNodeStatsList()) {
                String op = opType(n.getTimelineLabel(), n.getNodeName());
                double[] acc = byOp.computeIfAbsent(op, k -> new double[2]);
                acc[0]++;
                acc[1] += n.getOpEndRelMicros() - n.getOpStartRelMicros();
            }
        }
    }

    /** "name = _MklNativeFusedConv2D(a, b)" gives "_MklNativeFusedConv2D". */
    static String opType(String timelineLabel, String nodeName) {
        int eq = timelineLabel.indexOf(" = ");
        int paren = timelineLabel.indexOf('(', eq + 3);
        if (eq >= 0 && paren > eq) {
            return timelineLabel.substring(eq + 3, paren);
        }
        return nodeName.isEmpty() ? "?" : "(" + nodeName + ")";
    }

    private static List<OpTime> summarize(Map<String, double[]> byOp) {
        double total = byOp.values().stream().mapToDouble(a -> a[1]).sum();
        List<OpTime> out = new ArrayList<>();
        byOp.forEach(
                (op, a) ->
                        out.add(
                                new OpTime(
                                        op,
                                        (long) a[0],
                                        a[1] / 1000,
                                        total == 0 ? 0 : a[1] / total)));
        out.sort((x, y) -> Double.compare(y.millis(), x.millis()));
        return out;
    }
}
