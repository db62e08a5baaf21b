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

    /**
     * Loads {@code dir} (a {@code kvl export} directory) on the chosen device.
     *
     * @param intraOpThreads threads per kernel, 0 for TensorFlow's default (all cores)
     * @param interOpThreads kernels run concurrently, 0 for TensorFlow's default
     */
    public static EfficientNetModel load(
            Path dir, DeviceChoice choice, int intraOpThreads, int interOpThreads)
            throws IOException {
        ModelInfo info = ModelInfo.read(dir);
        TensorFlowNatives.ensureLoaded();
        Engine engine = Engine.getEngine("TensorFlow");
        Device device = choice.resolve(engine.getGpuCount());
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (intraOpThreads > 0) {
            config.setIntraOpParallelismThreads(intraOpThreads);
        }
        if (interOpThreads > 0) {
            config.setInterOpParallelismThreads(interOpThreads);
        }
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
                                Base64.getEncoder().encodeToString(config.build().toByteArray()))
                        .build();
        long start = System.nanoTime();
        try {
            ZooModel<NDList, NDList> model = criteria.loadModel();
            LOG.info(
                    "Loaded {} ({} {}x{}) on {} (device setting '{}', engine {} {}, GPUs visible:"
                            + " {}) in {} ms",
                    info.name(),
                    info.variant(),
                    info.resolution(),
                    info.resolution(),
                    device,
                    choice,
                    engine.getEngineName(),
                    engine.getVersion(),
                    engine.getGpuCount(),
                    (System.nanoTime() - start) / 1_000_000);
            return new EfficientNetModel(model, info, device);
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load model from " + dir + ": " + e.getMessage(), e);
        }
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
