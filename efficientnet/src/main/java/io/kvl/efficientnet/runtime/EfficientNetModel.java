package io.kvl.efficientnet.runtime;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.runtime.RuntimeOptions.ModelEngine;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import io.kvl.efficientnet.tensorflow.TensorFlowNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/**
 * An exported EfficientNet loaded once per process through one of DJL's engines: TensorFlow on the
 * SavedModel, or ONNX Runtime on {@code model.onnx} / {@code model-int8.onnx} (engine {@code auto}
 * measures both, see {@link EngineSelection}). Create one {@link EfficientNetPredictor} per thread;
 * this object is thread-safe, predictors are not.
 */
public final class EfficientNetModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EfficientNetModel.class);

    /** DJL's name of each engine. */
    static final String TENSORFLOW = "TensorFlow";

    static final String ONNXRUNTIME = OnnxRuntimeEnvironment.ENGINE;

    private final Model model;
    private final ModelInfo info;
    private final Device device;
    private final ModelEngine engine;
    private final Precision precision;
    private final AutoCloseable extra;
    private String selection = "";

    private EfficientNetModel(
            Model model,
            ModelInfo info,
            Device device,
            ModelEngine engine,
            Precision precision,
            AutoCloseable extra) {
        this.model = model;
        this.info = info;
        this.device = device;
        this.engine = engine;
        this.precision = precision;
        this.extra = extra;
    }

    /** Loads {@code dir} (a {@code kvl export} directory) as {@code options} say. */
    public static EfficientNetModel load(Path dir, RuntimeOptions options) throws IOException {
        return load(dir, options, EngineSelection.PROBE_BATCH);
    }

    /**
     * Loads {@code dir}; with engine {@code auto}, the engines are compared at {@code probeBatch}
     * images per call.
     */
    public static EfficientNetModel load(Path dir, RuntimeOptions options, int probeBatch)
            throws IOException {
        if (options.engine() == ModelEngine.AUTO) {
            return EngineSelection.select(dir, options, probeBatch);
        }
        return loadEngine(dir, options);
    }

    /** Loads with the engine {@code options} name (not auto). */
    static EfficientNetModel loadEngine(Path dir, RuntimeOptions options) throws IOException {
        ModelInfo info = ModelInfo.read(dir);
        long start = System.nanoTime();
        EfficientNetModel loaded =
                options.engine() == ModelEngine.ONNXRUNTIME
                        ? loadOnnxRuntime(dir, info, options)
                        : loadTensorFlow(dir, info, options);
        Engine engine = loaded.model.getNDManager().getEngine();
        LOG.info(
                "Loaded {} ({} {}x{}) on {} (device setting '{}', engine {} {}, precision {},"
                        + " intra/inter-op threads {}/{}) in {} ms",
                info.name(),
                info.variant(),
                info.resolution(),
                info.resolution(),
                loaded.device,
                options.device(),
                engine.getEngineName(),
                loaded.engine == ModelEngine.ONNXRUNTIME
                        ? OrtEnvironment.getEnvironment().getVersion()
                        : engine.getVersion(),
                options.precision().configName(),
                options.intraOpThreads(),
                options.interOpThreads(),
                (System.nanoTime() - start) / 1_000_000);
        return loaded;
    }

    private static EfficientNetModel loadTensorFlow(
            Path dir, ModelInfo info, RuntimeOptions options) throws IOException {
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new IOException(dir + " has no SavedModel (saved_model.pb); re-export it");
        }
        TensorFlowNatives.ensureLoaded();
        Engine engine = Engine.getEngine(TENSORFLOW);
        Device device = options.device().resolve(engine.getGpuCount(), engine.getEngineName());
        ConfigProto config = sessionConfig(options);
        Model model = Model.newInstance(info.name(), device, TENSORFLOW);
        try {
            model.load(
                    dir,
                    null,
                    Map.of(
                            "Tags",
                            SavedModelExport.TAG,
                            "SignatureDefKey",
                            "serving_default",
                            "ConfigProto",
                            Base64.getEncoder().encodeToString(config.toByteArray())));
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load model from " + dir + ": " + e.getMessage(), e);
        }
        return new EfficientNetModel(
                model, info, device, ModelEngine.TENSORFLOW, options.precision(), null);
    }

    private static EfficientNetModel loadOnnxRuntime(
            Path dir, ModelInfo info, RuntimeOptions options) throws IOException {
        String file =
                options.precision() == Precision.INT8
                        ? EfficientNetOnnx.INT8_FILE
                        : EfficientNetOnnx.FILE;
        if (!Files.isRegularFile(dir.resolve(file))) {
            throw new IOException(
                    dir
                            + " has no "
                            + file
                            + (options.precision() == Precision.INT8
                                    ? "; create it with 'kvl quantize'"
                                    : "; re-export it with this version ('kvl export')"));
        }
        Engine engine = OnnxRuntimeEnvironment.engine();
        // The CPU build of ONNX Runtime has no CUDA provider even when the machine has GPUs.
        int gpus =
                OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
                        ? engine.getGpuCount()
                        : 0;
        Device device = options.device().resolve(gpus, engine.getEngineName());
        ai.onnxruntime.OrtSession.SessionOptions session = OnnxRuntimeSessions.options(options);
        Model model = Model.newInstance(info.name(), device, ONNXRUNTIME);
        try {
            model.load(
                    dir,
                    file.substring(0, file.length() - ".onnx".length()),
                    Map.of("sessionOptions", session));
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            session.close();
            throw new IOException("cannot load " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
        return new EfficientNetModel(
                model, info, device, ModelEngine.ONNXRUNTIME, options.precision(), session);
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
        if (options.precision() == Precision.BF16) {
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

    /** The engine running the model (never auto). */
    public ModelEngine engine() {
        return engine;
    }

    public Precision precision() {
        return precision;
    }

    /** Why this engine runs the model, when {@code auto} chose it; else empty. */
    public String selection() {
        return selection;
    }

    void selection(String why) {
        this.selection = why;
    }

    /** A new predictor for the calling thread; close it when the thread is done. */
    public EfficientNetPredictor newPredictor() {
        return new EfficientNetPredictor(model, info);
    }

    @Override
    public void close() {
        model.close();
        if (extra != null) {
            try {
                extra.close();
            } catch (Exception e) {
                LOG.warn("Could not release the session options: {}", e.toString());
            }
        }
    }
}
