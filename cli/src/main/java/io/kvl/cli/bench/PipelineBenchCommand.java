package io.kvl.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.cli.demo.DemoTopics;
import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.video.VideoChunks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kvl bench-pipeline}: the labeler end to end on an in-process broker. Cameras publish the
 * bundled clips' chunks (as fast as possible, or paced by capture time); the labeler decodes,
 * batches, infers and writes labels exactly once; a {@code read_committed} consumer measures frames
 * per second and, per label, the time from its chunk's acknowledgement to the label being visible.
 * Optionally the Python pipeline ({@code bench/python/pipeline.py}) then labels the same chunk
 * topic on the same broker.
 */
@Command(
        name = "bench-pipeline",
        mixinStandardHelpOptions = true,
        description =
                "Measure the labeler end to end on an in-process broker: frames/s, chunk-to-label"
                        + " latency, resident memory; optionally the Python pipeline on the same"
                        + " chunks.")
public final class PipelineBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WARMUP_PREFIX = "warmup-";
    private static final long WARMUP_SHIFT_MS = 3_600_000;

    @Option(names = "--cameras", defaultValue = "4", description = "Cameras (default: 4).")
    int cameras;

    @Option(names = "--all-frames", description = "Label every frame (default: sample --fps).")
    boolean allFrames;

    @Option(names = "--fps", defaultValue = "2", description = "Sampled frames per second.")
    double fps;

    @Option(names = "--real-time", description = "Publish chunks at their capture times.")
    boolean realTime;

    @Option(
            names = "--chunks-per-camera",
            defaultValue = "0",
            description = "Chunks each camera publishes; 0 for its whole clip.")
    int chunksPerCamera;

    @Option(
            names = "--warmup-chunks",
            defaultValue = "1",
            description =
                    "Chunks each camera first publishes under a warm-up camera id (warmup-N, an"
                            + " hour earlier), labeled before measuring starts and not counted,"
                            + " so the JIT compiler has seen the code paths; 0 measures a cold JVM"
                            + " (default: 1).")
    int warmupChunks;

    @Option(
            names = "--gop-seconds",
            defaultValue = "0",
            description =
                    "Re-encode the clips with a keyframe every this many seconds (chunks are one"
                            + " GOP); 0 (default) publishes them as shipped.")
    double gopSeconds;

    @Option(names = "--engine", defaultValue = "auto", description = "model.engine.")
    String engine;

    @Option(names = "--precision", defaultValue = "fp32", description = "model.precision.")
    String precision;

    @Option(names = "--batch-size", defaultValue = "8", description = "batch.size (or auto).")
    String batchSize;

    @Option(
            names = "--batch-max-delay-ms",
            defaultValue = "40",
            description = "batch.max.delay.ms.")
    long maxDelayMs;

    @Option(
            names = "--commit-interval-ms",
            description =
                    "commit.interval.ms (default: the labeler's, "
                            + LabelerConfig.DEFAULT_COMMIT_INTERVAL_MS
                            + "): labels become visible to read_committed consumers when their"
                            + " transaction commits.")
    Long commitIntervalMs;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description = "model.workers (inference threads).")
    int workers;

    @Option(
            names = "--intra-op-threads",
            defaultValue = "0",
            description = "model.intra.op.threads; 0 for the engine's default.")
    int intraOpThreads;

    @Option(
            names = "--stream-threads",
            defaultValue = "0",
            description = "num.stream.threads; 0 for min(cameras, cores).")
    int streamThreads;

    @Option(
            names = "--python",
            paramLabel = "PYTHON",
            description = "Then run bench/python/pipeline.py with this interpreter on the chunks.")
    Path python;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds before giving up.")
    long timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object on the last line.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (cameras < 1 || !(fps > 0) || warmupChunks < 0) {
            throw new IllegalArgumentException(
                    "--cameras and --fps must be positive, --warmup-chunks not negative");
        }
        Path home = Path.of(System.getProperty("kvl.home", "."));
        List<List<VideoChunk>> templates = templates(home);
        List<List<VideoChunk>> chunks = cameraChunks(templates, "cam-", chunksPerCamera, 0);
        List<List<VideoChunk>> warmup =
                warmupChunks == 0
                        ? List.of()
                        : cameraChunks(templates, WARMUP_PREFIX, warmupChunks, WARMUP_SHIFT_MS);
        int declared =
                chunks.stream().flatMap(List::stream).mapToInt(VideoChunk::getFrameCount).sum();
        Map<String, Object> result = new LinkedHashMap<>();
        Path state = Files.createTempDirectory("kvl-bench-state");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                ResidentMemory rss = new ResidentMemory()) {
            String bootstrap = kafka.bootstrapServers();
            LabelerConfig config = config(bootstrap, state);
            DemoTopics.create(bootstrap, config, cameras);
            long rssBroker = ResidentMemory.nowMb();
            try (LabelerApp app = LabelerApp.start(config)) {
                awaitRunning(app.streams());
                Map<String, Long> acks = LabelWatch.newAckMap();
                try (LabelWatch watch =
                        new LabelWatch(
                                bootstrap, config.labelsTopic(), cameras, acks, WARMUP_PREFIX)) {
                    warmUp(bootstrap, config.chunksTopic(), warmup, watch);
                    Map<String, Long> cpuBefore = ThreadCpu.snapshotNanos();
                    long t0 = System.currentTimeMillis();
                    publish(bootstrap, config.chunksTopic(), chunks, acks, t0, realTime);
                    long published = System.currentTimeMillis();
                    await(watch, declared, published);
                    report(result, watch, t0, declared, config);
                    // Threads that ended during the run are missing: none should (stream,
                    // inference and broker threads live as long as the run).
                    result.put(
                            "cpu_seconds", ThreadCpu.seconds(cpuBefore, ThreadCpu.snapshotNanos()));
                }
                result.put("rss_broker_mb", rssBroker);
                result.put("rss_peak_mb", rss.peakMb());
                out.printf(Locale.ROOT, "labeler: %s%n", result);
                out.flush();
            }
            if (python != null && allFrames) {
                Map<String, Object> py = runPython(home, bootstrap, config, declared);
                result.put("python", py);
                out.printf(Locale.ROOT, "python pipeline: %s%n", py);
            }
        } finally {
            deleteQuietly(state);
        }
        if (json) {
            out.println(JSON.writeValueAsString(result));
        }
        out.flush();
        return 0;
    }

    /** The chunks of each clip the cameras take in turn (the two bundled clips), chunked once. */
    private List<List<VideoChunk>> templates(Path home) throws Exception {
        List<Path> clips =
                List.of(
                        home.resolve("samples/bottle-detection.mp4"),
                        home.resolve("samples/car-detection.mp4"));
        if (gopSeconds > 0) {
            clips = reencoded(clips);
        }
        List<List<VideoChunk>> chunked = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Path clip : clips.subList(0, Math.min(cameras, clips.size()))) {
            chunked.add(VideoChunks.ofClip(clip, "x", now));
        }
        return chunked;
    }

    /**
     * The first {@code limit} chunks (0: all) of each camera's clip, as camera {@code prefix + i},
     * captured {@code shiftMs} earlier.
     */
    private List<List<VideoChunk>> cameraChunks(
            List<List<VideoChunk>> clips, String prefix, int limit, long shiftMs) {
        List<List<VideoChunk>> out = new ArrayList<>();
        for (int i = 0; i < cameras; i++) {
            List<VideoChunk> template = clips.get(i % clips.size());
            int n = limit > 0 ? Math.min(limit, template.size()) : template.size();
            List<VideoChunk> own = new ArrayList<>();
            for (VideoChunk c : template.subList(0, n)) {
                own.add(
                        VideoChunk.newBuilder(c)
                                .setCameraId(prefix + i)
                                .setStartTimestamp(c.getStartTimestamp().minusMillis(shiftMs))
                                .build());
            }
            out.add(own);
        }
        return out;
    }

    /**
     * Publishes the warm-up chunks at once and waits until each camera's last one is labeled
     * (labels of a chunk commit together, after the chunks before it on the same partition).
     */
    private void warmUp(
            String bootstrap, String topic, List<List<VideoChunk>> perCamera, LabelWatch watch)
            throws Exception {
        if (perCamera.isEmpty()) {
            return;
        }
        long t0 = System.currentTimeMillis();
        publish(bootstrap, topic, perCamera, LabelWatch.newAckMap(), t0, false);
        List<String> last = new ArrayList<>();
        for (List<VideoChunk> chunks : perCamera) {
            VideoChunk c = chunks.get(chunks.size() - 1);
            last.add(LabelWatch.key(c.getCameraId(), c.getSequence()));
        }
        long deadline = t0 + timeoutSeconds * 1000;
        while (!watch.warmupSeen().containsAll(last)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out warming up: " + watch.warmupSeen());
            }
            Thread.sleep(20);
        }
    }

    /** The clips with short GOPs, in a temporary directory removed when the JVM exits. */
    private List<Path> reencoded(List<Path> clips) throws Exception {
        Path dir = Files.createTempDirectory("kvl-bench-gop");
        dir.toFile().deleteOnExit();
        List<Path> out = new ArrayList<>();
        for (Path clip : clips) {
            Path target = dir.resolve(clip.getFileName());
            ShortGopClip.write(clip, target, gopSeconds);
            target.toFile().deleteOnExit();
            out.add(target);
        }
        return out;
    }

    private LabelerConfig config(String bootstrap, Path state) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("application.id", "kvl-bench-" + UUID.randomUUID().toString().substring(0, 8));
        p.put("state.dir", state.toString());
        int threads =
                streamThreads > 0
                        ? streamThreads
                        : Math.min(cameras, Runtime.getRuntime().availableProcessors());
        p.put("num.stream.threads", Integer.toString(threads));
        if (commitIntervalMs != null) {
            p.put("commit.interval.ms", Long.toString(commitIntervalMs));
        }
        p.put(LabelerConfig.MODEL_ENGINE_CONFIG, engine);
        p.put(LabelerConfig.MODEL_PRECISION_CONFIG, precision);
        p.put(LabelerConfig.MODEL_WORKERS_CONFIG, Integer.toString(workers));
        p.put(LabelerConfig.MODEL_INTRA_OP_THREADS_CONFIG, Integer.toString(intraOpThreads));
        p.put(LabelerConfig.BATCH_SIZE_CONFIG, batchSize);
        p.put(LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG, Long.toString(maxDelayMs));
        p.put(LabelerConfig.SAMPLING_FPS_CONFIG, Double.toString(fps));
        p.put(LabelerConfig.SAMPLING_MODE_CONFIG, allFrames ? "all" : "fps");
        p.put(LabelerConfig.HTTP_PORT_CONFIG, "-1");
        return new LabelerConfig(p);
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "labeler not running after 60 s: " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Interleaves the cameras' chunks by capture offset; in real time, sends each at its offset.
     * Camera i starts i/N of a chunk later: real cameras are not phase-locked, and cameras that all
     * finish a chunk at the same instant measure a burst, not steady latency.
     */
    private void publish(
            String bootstrap,
            String topic,
            List<List<VideoChunk>> perCamera,
            Map<String, Long> acks,
            long t0,
            boolean realTime)
            throws Exception {
        record Timed(int camera, VideoChunk chunk, long offsetMs) {}
        List<Timed> all = new ArrayList<>();
        for (int i = 0; i < perCamera.size(); i++) {
            List<VideoChunk> list = perCamera.get(i);
            VideoChunk head = list.get(0);
            long first = head.getStartTimestamp().toEpochMilli();
            long chunkMs = (long) (1000 * head.getFrameCount() / head.getFrameRate());
            long phase = realTime ? i * chunkMs / perCamera.size() : 0;
            for (VideoChunk c : list) {
                all.add(new Timed(i, c, c.getStartTimestamp().toEpochMilli() - first + phase));
            }
        }
        all.sort(Comparator.comparingLong(Timed::offsetMs).thenComparingInt(Timed::camera));
        Serializer<VideoChunk> serializer = KvlSerdes.videoChunk().serializer();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Timed t : all) {
                if (realTime) {
                    long wait = t0 + t.offsetMs() - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                }
                VideoChunk c = t.chunk();
                String key = LabelWatch.key(c.getCameraId(), c.getSequence());
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                t.camera(),
                                c.getCameraId().getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(topic, c)),
                        (md, e) -> {
                            if (e == null) {
                                acks.put(key, System.currentTimeMillis());
                            }
                        });
            }
            producer.flush();
        }
    }

    /** All frames labeled (all-frames), or no new label for 3 s after publishing ended (fps). */
    private void await(LabelWatch watch, int declared, long published) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
        while (System.currentTimeMillis() < deadline) {
            if (allFrames && watch.labels() >= declared) {
                return;
            }
            long idleSince = Math.max(watch.lastMillis(), published);
            if (!allFrames
                    && watch.labels() > 0
                    && System.currentTimeMillis() - idleSince > 3_000) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(
                "timed out: " + watch.labels() + " labels" + (allFrames ? " of " + declared : ""));
    }

    private void report(
            Map<String, Object> r, LabelWatch watch, long t0, int declared, LabelerConfig c) {
        double seconds = (watch.lastMillis() - t0) / 1000.0;
        long[] lat = watch.latencies();
        r.put("cameras", cameras);
        r.put("mode", allFrames ? "all-frames" : "fps " + fps);
        r.put("real_time", realTime);
        r.put("gop_seconds", gopSeconds);
        r.put("warmup_chunks_per_camera", warmupChunks);
        r.put("engine", engine);
        r.put("precision", precision);
        r.put("batch_size", batchSize);
        r.put("batch_max_delay_ms", maxDelayMs);
        r.put(
                "commit_interval_ms",
                Long.parseLong(c.streamsProperties().getProperty("commit.interval.ms")));
        r.put("workers", workers);
        r.put("intra_op_threads", intraOpThreads);
        r.put("frames_declared", declared);
        r.put("frames_labeled", watch.labels());
        r.put("seconds", round(seconds));
        r.put("frames_per_second", round(watch.labels() / seconds));
        r.put("latency_p50_ms", percentile(lat, 0.50));
        r.put("latency_p95_ms", percentile(lat, 0.95));
        r.put("latency_p99_ms", percentile(lat, 0.99));
    }

    private Map<String, Object> runPython(
            Path home, String bootstrap, LabelerConfig config, int declared) throws Exception {
        String modelDir = DefaultModel.ensureExported().toString();
        List<String> cmd =
                List.of(
                        python.toString(),
                        home.resolve("bench/python/pipeline.py").toString(),
                        "--bootstrap",
                        bootstrap,
                        "--chunks-topic",
                        config.chunksTopic(),
                        "--labels-topic",
                        config.labelsTopic() + "-python",
                        "--model",
                        modelDir + "/" + EfficientNetOnnx.FILE,
                        "--batch",
                        batchSize.equalsIgnoreCase("auto") ? "8" : batchSize,
                        "--frames",
                        Integer.toString(declared),
                        "--all-frames",
                        "--skip-key-prefix",
                        WARMUP_PREFIX,
                        "--timeout",
                        Long.toString(timeoutSeconds));
        Process proc =
                new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                last = line;
            }
        }
        int exit = proc.waitFor();
        if (exit != 0 || last == null) {
            return Map.of("failed", "exit " + exit);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = JSON.readValue(last, Map.class);
        return parsed;
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
