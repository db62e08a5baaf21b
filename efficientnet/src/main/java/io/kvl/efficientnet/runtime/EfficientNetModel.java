package io.kvl.efficientnet.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.tensorflow.TensorFlowNatives;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/**
 * An exported EfficientNet loaded once per process through DJL's TensorFlow engine. Create one
 * {@link EfficientNetPredictor} per thread; this object is thread-safe, predictors are not.
 */
public final class EfficientNetModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EfficientNetModel.class);

    private final ZooModel<NDList, NDList> model;
    private final ModelInfo info;
    private final Device device;

    private EfficientNetModel(ZooModel<NDList, NDList> model, ModelInfo info, Device device) {
        this.model = model;
        this.info = info;
        this.device = device;
    }

    /** Loads {@code dir} (a {@code kvl export} directory) as {@code options} say. */
    public static EfficientNetModel load(Path dir, RuntimeOptions options) throws IOException {
        DeviceChoice choice = options.device();
        ModelInfo info = ModelInfo.read(dir);
        TensorFlowNatives.ensureLoaded();
        Engine engine = Engine.getEngine("TensorFlow");
        Device device = choice.resolve(engine.getGpuCount());
        ConfigProto config = sessionConfig(options);
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optEngine("TensorFlow")
                        .optModelPath(dir)
                        .optTranslator(new NoopTranslator())
                        .optDevice(device)
                        .optOption("Tags", SavedModelExport.TAG)
                        .optOption("SignatureDefKey", "serving_default")
                        .optOption(
                                "ConfigProto",
                                Base64.getEncoder().encodeToString(config.toByteArray()))
                        .build();
        long start = System.nanoTime();
        try {
            ZooModel<NDList, NDList> model = criteria.loadModel();
            LOG.info(
                    "Loaded {} ({} {}x{}) on {} (device setting '{}', engine {} {}, GPUs visible:"
                            + " {}, precision {}, intra/inter-op threads {}/{}) in {} ms",
                    info.name(),
                    info.variant(),
                    info.resolution(),
                    info.resolution(),
                    device,
                    choice,
                    engine.getEngineName(),
                    engine.getVersion(),
                    engine.getGpuCount(),
                    options.precision(),
                    options.intraOpThreads(),
                    options.interOpThreads(),
                    (System.nanoTime() - start) / 1_000_000);
            return new EfficientNetModel(model, info, device);
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load model from " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The TensorFlow session configuration for {@code options}. */
    static ConfigProto sessionConfig(RuntimeOptions options) {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (options.intraOpThreads() > 0) {
            config.setIntraOpParallelismThreads(options.intraOpThreads());
        }
        if (options.interOpThreads() > 0) {
            config.setInterOpParallelismThreads(options.interOpThreads());
        }
        if (options.precision() == RuntimeOptions.Precision.BF16) {
            config.getGraphOptionsBuilder()
                    .getRewriteOptionsBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
        }
        return config.build();
    }

    public ModelInfo info() {
        return info;
    }

    public Device device() {
        return device;
    }

    /** A new predictor for the calling thread; close it when the thread is done. */
    public EfficientNetPredictor newPredictor() {
        return new EfficientNetPredictor(model, info);
    }

    @Override
    public void close() {
        model.close();
    }
}
