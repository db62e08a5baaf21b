package io.kvl.streams.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/** The ConfigDef of {@link LabelerConfig}: documentation, validators, groups. */
final class LabelerConfigDef {
    private LabelerConfigDef() {}

    static final String GROUP_TOPICS = "Topics";

    static final String GROUP_MODEL = "Model";

    static final String GROUP_BATCHING = "Batching";

    static final String GROUP_SAMPLING = "Sampling";

    static final String GROUP_LIMITS = "Input limits";

    static final String GROUP_OPS = "Operations";

    static final String CHUNKS_TOPIC_DOC =
            "Input topic of VideoChunk records (Avro), keyed by camera id.";

    static final String FRAMES_TOPIC_DOC =
            "Input topic of single-image Frame records (Avro, JPEG or PNG), keyed by camera id.";

    static final String LABELS_TOPIC_DOC =
            "Output topic of LabeledFrame records (Avro), keyed by camera id.";

    static final String DLQ_TOPIC_DOC =
            "Dead-letter topic: DeadLetter envelopes (Avro) with the original key and value bytes;"
                    + " the reason is also in the kvl.dlq.* headers.";

    static final String COUNTS_TOPIC_DOC =
            "Output topic of windowed LabelCount records (Avro), keyed camera|label|windowStart.";

    static final String ALERTS_TOPIC_DOC =
            "Output topic of Alert records (Avro), one per episode, keyed by camera id.";

    static final String GROUP_AGGREGATION = "Aggregation and alerts";

    static final String AGGREGATION_ENABLED_DOC =
            "Count labels per camera in windows and evaluate alert rules on the labeled frames.";

    static final String COUNTS_WINDOW_SIZE_MS_DOC = "Window length, by capture time.";

    static final String COUNTS_WINDOW_ADVANCE_MS_DOC =
            "Hop between window starts; 0 means tumbling windows (advance = size).";

    static final String COUNTS_GRACE_MS_DOC =
            "How late (in capture time) a frame may arrive and still be counted; later frames go to"
                    + " the dead-letter topic (reason late-frame).";

    static final String COUNTS_EMIT_DOC =
            "final: one LabelCount per window and label when the window closes (suppressed);"
                    + " updates: a LabelCount on every change.";

    static final String COUNTS_MIN_SCORE_DOC =
            "A frame counts for a label when the label is among its top labels with at least this"
                    + " score.";

    static final String ALERT_RULES_FILE_DOC =
            "YAML or JSON file of label groups and alert rules; empty disables alerts. Its label"
                    + " groups are also counted as labels.";

    static final String MODEL_DIR_DOC =
            "SavedModel directory written by 'kvl export'. Empty: the bundled EfficientNet-Lite0"
                    + " ImageNet model.";

    static final String MODEL_DEVICE_DOC =
            "auto (first GPU when visible, else CPU), cpu, gpu or gpu:N.";

    static final String MODEL_INTRA_OP_THREADS_DOC =
            "Threads inside one TensorFlow kernel; 0 = all cores.";

    static final String MODEL_INTER_OP_THREADS_DOC =
            "TensorFlow kernels run concurrently; 0 = TensorFlow's default.";

    static final String MODEL_PRECISION_DOC =
            "fp32, or bf16 (oneDNN bfloat16 rewrite: only faster on CPUs with AMX).";

    static final String TOP_K_DOC = "Labels kept per frame, best first.";

    static final String BATCH_SIZE_DOC =
            "Most frames in one inference batch, across cameras and stream threads. Rule of thumb:"
                    + " about the number of cameras.";

    static final String BATCH_MAX_DELAY_MS_DOC =
            "Longest a frame waits for the batch to fill. Rule of thumb: about one frame interval"
                    + " of the cameras (40 ms at 25 fps).";

    static final String SAMPLING_MODE_DOC =
            "Which decoded frames are labeled: fps (sampling.fps per camera, by capture time),"
                    + " keyframes, or all.";

    static final String SAMPLING_FPS_DOC = "Target labeled frames per second per camera.";

    static final String MAX_CHUNK_BYTES_DOC =
            "Larger video chunks go to the dead-letter topic (reason oversize).";

    static final String MAX_FRAME_BYTES_DOC =
            "Larger single-image frames go to the dead-letter topic (reason oversize).";

    static final String CAMERAS_DOC =
            "Known camera ids; records of other cameras go to the dead-letter topic (reason"
                    + " unknown-camera). Empty: every camera is accepted.";

    static final String HTTP_PORT_DOC =
            "Port of the HTTP server for /metrics (Prometheus) and queries; -1 disables it.";

    static ConfigDef definition() {
        ConfigDef d = new ConfigDef();
        topics(d);
        model(d);
        batching(d);
        sampling(d);
        limits(d);
        aggregation(d);
        operations(d);
        return d;
    }

    private static void batching(ConfigDef d) {
        int order = 0;
        d.define(
                LabelerConfig.BATCH_SIZE_CONFIG,
                Type.INT,
                8,
                Range.between(1, 256),
                Importance.HIGH,
                BATCH_SIZE_DOC,
                GROUP_BATCHING,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.BATCH_SIZE_CONFIG);
        d.define(
                LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG,
                Type.LONG,
                40L,
                Range.between(0, 10_000),
                Importance.HIGH,
                BATCH_MAX_DELAY_MS_DOC,
                GROUP_BATCHING,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG);
    }

    private static void sampling(ConfigDef d) {
        int order = 0;
        d.define(
                LabelerConfig.SAMPLING_MODE_CONFIG,
                Type.STRING,
                "fps",
                ValidString.in("fps", "keyframes", "all"),
                Importance.HIGH,
                SAMPLING_MODE_DOC,
                GROUP_SAMPLING,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.SAMPLING_MODE_CONFIG);
        d.define(
                LabelerConfig.SAMPLING_FPS_CONFIG,
                Type.DOUBLE,
                2.0,
                Range.between(0.001, 240),
                Importance.HIGH,
                SAMPLING_FPS_DOC,
                GROUP_SAMPLING,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.SAMPLING_FPS_CONFIG);
    }

    private static void limits(ConfigDef d) {
        int order = 0;
        d.define(
                LabelerConfig.MAX_CHUNK_BYTES_CONFIG,
                Type.INT,
                8 << 20,
                Range.between(1024, 64 << 20),
                Importance.MEDIUM,
                MAX_CHUNK_BYTES_DOC,
                GROUP_LIMITS,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.MAX_CHUNK_BYTES_CONFIG);
        d.define(
                LabelerConfig.MAX_FRAME_BYTES_CONFIG,
                Type.INT,
                4 << 20,
                Range.between(1024, 64 << 20),
                Importance.MEDIUM,
                MAX_FRAME_BYTES_DOC,
                GROUP_LIMITS,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.MAX_FRAME_BYTES_CONFIG);
        d.define(
                LabelerConfig.CAMERAS_CONFIG,
                Type.LIST,
                "",
                Importance.MEDIUM,
                CAMERAS_DOC,
                GROUP_LIMITS,
                ++order,
                ConfigDef.Width.LONG,
                LabelerConfig.CAMERAS_CONFIG);
    }

    private static void operations(ConfigDef d) {
        d.define(
                LabelerConfig.HTTP_PORT_CONFIG,
                Type.INT,
                9400,
                Range.between(-1, 65535),
                Importance.MEDIUM,
                HTTP_PORT_DOC,
                GROUP_OPS,
                1,
                ConfigDef.Width.SHORT,
                LabelerConfig.HTTP_PORT_CONFIG);
    }

    private static void aggregation(ConfigDef d) {
        int order = 0;
        d.define(
                LabelerConfig.AGGREGATION_ENABLED_CONFIG,
                Type.BOOLEAN,
                true,
                Importance.HIGH,
                AGGREGATION_ENABLED_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.AGGREGATION_ENABLED_CONFIG);
        d.define(
                LabelerConfig.COUNTS_WINDOW_SIZE_MS_CONFIG,
                Type.LONG,
                60_000L,
                Range.atLeast(1),
                Importance.HIGH,
                COUNTS_WINDOW_SIZE_MS_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.COUNTS_WINDOW_SIZE_MS_CONFIG);
        d.define(
                LabelerConfig.COUNTS_WINDOW_ADVANCE_MS_CONFIG,
                Type.LONG,
                0L,
                Range.atLeast(0),
                Importance.MEDIUM,
                COUNTS_WINDOW_ADVANCE_MS_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.COUNTS_WINDOW_ADVANCE_MS_CONFIG);
        d.define(
                LabelerConfig.COUNTS_GRACE_MS_CONFIG,
                Type.LONG,
                10_000L,
                Range.atLeast(0),
                Importance.MEDIUM,
                COUNTS_GRACE_MS_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.COUNTS_GRACE_MS_CONFIG);
        d.define(
                LabelerConfig.COUNTS_EMIT_CONFIG,
                Type.STRING,
                "final",
                ValidString.in("final", "updates"),
                Importance.MEDIUM,
                COUNTS_EMIT_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.COUNTS_EMIT_CONFIG);
        d.define(
                LabelerConfig.COUNTS_MIN_SCORE_CONFIG,
                Type.DOUBLE,
                0.2,
                Range.between(0, 1),
                Importance.MEDIUM,
                COUNTS_MIN_SCORE_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.COUNTS_MIN_SCORE_CONFIG);
        d.define(
                LabelerConfig.ALERT_RULES_FILE_CONFIG,
                Type.STRING,
                "",
                Importance.HIGH,
                ALERT_RULES_FILE_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.LONG,
                LabelerConfig.ALERT_RULES_FILE_CONFIG);
    }

    private static void topics(ConfigDef d) {
        int order = 0;
        String[][] topics = {
            {
                LabelerConfig.CHUNKS_TOPIC_CONFIG,
                LabelerConfig.CHUNKS_TOPIC_DEFAULT,
                CHUNKS_TOPIC_DOC
            },
            {
                LabelerConfig.FRAMES_TOPIC_CONFIG,
                LabelerConfig.FRAMES_TOPIC_DEFAULT,
                FRAMES_TOPIC_DOC
            },
            {
                LabelerConfig.LABELS_TOPIC_CONFIG,
                LabelerConfig.LABELS_TOPIC_DEFAULT,
                LABELS_TOPIC_DOC
            },
            {LabelerConfig.DLQ_TOPIC_CONFIG, LabelerConfig.DLQ_TOPIC_DEFAULT, DLQ_TOPIC_DOC},
            {
                LabelerConfig.COUNTS_TOPIC_CONFIG,
                LabelerConfig.COUNTS_TOPIC_DEFAULT,
                COUNTS_TOPIC_DOC
            },
            {
                LabelerConfig.ALERTS_TOPIC_CONFIG,
                LabelerConfig.ALERTS_TOPIC_DEFAULT,
                ALERTS_TOPIC_DOC
            },
        };
        for (String[] t : topics) {
            d.define(
                    t[0],
                    Type.STRING,
                    t[1],
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    t[2],
                    GROUP_TOPICS,
                    ++order,
                    ConfigDef.Width.MEDIUM,
                    t[0]);
        }
    }

    private static void model(ConfigDef d) {
        int order = 0;
        d.define(
                LabelerConfig.MODEL_DIR_CONFIG,
                Type.STRING,
                "",
                Importance.HIGH,
                MODEL_DIR_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.LONG,
                LabelerConfig.MODEL_DIR_CONFIG);
        d.define(
                LabelerConfig.MODEL_DEVICE_CONFIG,
                Type.STRING,
                "auto",
                new DeviceValidator(),
                Importance.HIGH,
                MODEL_DEVICE_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.MODEL_DEVICE_CONFIG);
        d.define(
                LabelerConfig.MODEL_INTRA_OP_THREADS_CONFIG,
                Type.INT,
                0,
                Range.between(0, 1024),
                Importance.LOW,
                MODEL_INTRA_OP_THREADS_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.MODEL_INTRA_OP_THREADS_CONFIG);
        d.define(
                LabelerConfig.MODEL_INTER_OP_THREADS_CONFIG,
                Type.INT,
                0,
                Range.between(0, 1024),
                Importance.LOW,
                MODEL_INTER_OP_THREADS_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.MODEL_INTER_OP_THREADS_CONFIG);
        d.define(
                LabelerConfig.MODEL_PRECISION_CONFIG,
                Type.STRING,
                "fp32",
                ValidString.in("fp32", "bf16"),
                Importance.LOW,
                MODEL_PRECISION_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.MODEL_PRECISION_CONFIG);
        d.define(
                LabelerConfig.TOP_K_CONFIG,
                Type.INT,
                5,
                Range.between(1, 100),
                Importance.MEDIUM,
                TOP_K_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                LabelerConfig.TOP_K_CONFIG);
    }
}
