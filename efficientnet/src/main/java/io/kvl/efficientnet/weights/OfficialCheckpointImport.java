package io.kvl.efficientnet.weights;

import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Imports the official TensorFlow checkpoints of the EfficientNet authors ({@code
 * efficientnet-b0/blocks_0/conv2d/kernel}, ...). Their variable names are the ones {@link
 * Architecture#parameters()} uses, under a scope named after the model. The official releases also
 * hold exponential-moving-average shadows ({@code .../ExponentialMovingAverage}), which the authors
 * evaluate with; they are preferred when present.
 */
public final class OfficialCheckpointImport {
    /** Suffix of the moving-average shadow variables. */
    public static final String EMA_SUFFIX = "/ExponentialMovingAverage";

    private static final Logger LOG = LoggerFactory.getLogger(OfficialCheckpointImport.class);

    private OfficialCheckpointImport() {}

    /**
     * @param prefix checkpoint prefix, e.g. {@code .../efficientnet-b0/model.ckpt}
     * @param scope top-level scope, e.g. {@code efficientnet-b0}
     */
    public static ModelWeights read(Path prefix, Architecture arch, String scope) {
        List<TensorSpec> specs = arch.parameters();
        Map<String, FloatTensor> tensors;
        String source;
        try {
            tensors = readAll(prefix, specs, scope, EMA_SUFFIX);
            source = "official checkpoint " + prefix + " (moving averages)";
        } catch (TensorFlowException e) {
            LOG.info(
                    "No moving-average variables in {} ({}); using raw values",
                    prefix,
                    firstLine(e));
            tensors = readAll(prefix, specs, scope, "");
            source = "official checkpoint " + prefix;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelWeights.SOURCE, source);
        meta.put(ModelWeights.VARIANT, arch.variant().name());
        ModelWeights weights = new ModelWeights(tensors, meta);
        weights.validate(arch);
        return weights;
    }

    private static Map<String, FloatTensor> readAll(
            Path prefix, List<TensorSpec> specs, String scope, String suffix) {
        List<String> names = new ArrayList<>();
        for (TensorSpec s : specs) {
            names.add(scope + "/" + s.name() + suffix);
        }
        Map<String, FloatTensor> raw = TfCheckpoint.read(prefix, names);
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            out.put(specs.get(i).name(), raw.get(names.get(i)));
        }
        return out;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
