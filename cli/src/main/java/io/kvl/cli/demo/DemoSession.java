package io.kvl.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.image.RgbImage;
import io.kvl.schemas.Alert;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.simulator.ClipPublisher;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.video.VideoChunks;
import io.kvl.video.VideoDecodeException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One run of the demo against a broker: publish, label, aggregate, alert, report. */
final class DemoSession {
    /** Beyond the playback time: all frames of 4 cameras took about 60 s on 2 busy cores. */
    private static final long TIMEOUT_MS = 240_000;

    private final String bootstrap;
    private final List<Path> clips;
    private final Path rules;
    private final boolean realTime;
    private final int maxChunks;
    private final boolean allFrames;
    private final PrintWriter out;
    private final int httpPort;
    private final String schemaRegistryUrl;
    private volatile String dashboardUrl = "";

    /**
     * How the clips are played.
     *
     * @param realTime pace chunks by capture time, as live cameras would
     * @param maxChunks chunks per camera, 0 for whole clips
     * @param allFrames label every frame instead of sampling 2 per second
     */
    record Pace(boolean realTime, int maxChunks, boolean allFrames) {}

    DemoSession(
            String bootstrap,
            List<Path> clips,
            Path rules,
            Pace pace,
            int httpPort,
            String schemaRegistryUrl,
            PrintWriter out) {
        this.httpPort = httpPort;
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.bootstrap = bootstrap;
        this.clips = clips;
        this.rules = rules;
        this.realTime = pace.realTime();
        this.maxChunks = pace.maxChunks();
        this.allFrames = pace.allFrames();
        this.out = out;
    }

    /** The JSON summary. */
    record Summary(Map<String, Object> fields) {
        String json() {
            try {
                return new ObjectMapper().writeValueAsString(fields);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Summary run(Path reportDir, DemoCleanup cleanup) throws Exception {
        List<DemoCamera> cameras = cameras();
        int published = cameras.stream().mapToInt(c -> c.chunks().size()).sum();
        LabelerConfig config = config(cleanup.stateDirectory(), cameras.size());
        DemoTopics.create(bootstrap, config, cameras.size());
        // The frames the application will sample, decoded while it starts: they decide when the
        // demo is done and are the report's pictures.
        ExecutorService decoding = Executors.newSingleThreadExecutor();
        Future<Map<String, Map<Long, RgbImage>>> sampling =
                decoding.submit(() -> decodeSampled(cameras, config.samplingFps()));
        decoding.shutdown();
        say(
                "Cameras: "
                        + cameras.stream().map(DemoCamera::id).toList()
                        + " ("
                        + published
                        + " chunks, "
                        + (realTime ? "real time" : "as fast as possible")
                        + "); "
                        + DemoCommand.describe(config));
        DemoResults results = new DemoResults();
        LabelerApp app = cleanup.add("stop the labeling application", LabelerApp.start(config));
        dashboardUrl = "http://localhost:" + app.httpPort() + "/";
        say("Dashboard: " + dashboardUrl);
        DemoConsumer consumer =
                cleanup.add(
                        "stop reading the output topics",
                        DemoConsumer.start(bootstrap, config, results, this::printEvent));
        DemoCompletion completion =
                new DemoCompletion(
                        bootstrap,
                        config,
                        results,
                        consumer,
                        app.registry(),
                        timeoutMillis(cameras),
                        this::say);
        ExecutorService pool = Executors.newFixedThreadPool(cameras.size());
        Map<String, Set<Long>> expected;
        Map<String, Map<Long, RgbImage>> sampled;
        Map<String, Integer> partitions;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            partitions =
                    DemoPartitions.assign(
                            cameras,
                            producer.partitionsFor(config.chunksTopic()).size(),
                            this::say);
            ClipPublisher publisher = new ClipPublisher(producer, config.chunksTopic());
            List<Future<?>> publishing = new ArrayList<>();
            for (DemoCamera c : cameras) {
                int partition = partitions.get(c.id());
                publishing.add(
                        pool.submit(
                                () -> {
                                    publisher.publish(c.chunks(), realTime, partition);
                                    return null;
                                }));
            }
            sampled = DemoCompletion.result(sampling);
            expected = expectedFrames(cameras, sampled);
            completion.awaitLabels(expected, publishing, published);
        } finally {
            pool.shutdownNow();
            decoding.shutdownNow();
        }
        double seconds = completion.elapsedNanos() / 1e9;
        completion.awaitAggregation();
        DemoReport.Written report =
                DemoReport.write(reportDir, cameras, sampled, results, config, seconds);
        say("Report: " + report.page().toAbsolutePath());
        return summary(cameras, results, seconds, report, expected, partitions);
    }

    private static Map<String, Map<Long, RgbImage>> decodeSampled(
            List<DemoCamera> cameras, double fps) throws VideoDecodeException {
        Map<String, Map<Long, RgbImage>> m = new LinkedHashMap<>();
        for (DemoCamera c : cameras) {
            m.put(c.id(), DemoReport.decodeSampled(c, fps));
        }
        return m;
    }

    /** Per camera, the frame indexes the application labels. */
    private Map<String, Set<Long>> expectedFrames(
            List<DemoCamera> cameras, Map<String, Map<Long, RgbImage>> sampled) {
        Map<String, Set<Long>> m = new LinkedHashMap<>();
        for (DemoCamera c : cameras) {
            Set<Long> frames = new TreeSet<>();
            if (allFrames) {
                // Every frame the chunks declare (a chunk that decodes to fewer is a dead letter).
                for (VideoChunk chunk : c.chunks()) {
                    for (int i = 0; i < chunk.getFrameCount(); i++) {
                        frames.add(chunk.getFirstFrameIndex() + i);
                    }
                }
            } else {
                frames.addAll(sampled.get(c.id()).keySet());
            }
            m.put(c.id(), frames);
        }
        return m;
    }

    /** The global timeout: {@link #TIMEOUT_MS} plus, in real time, the longest clip's playback. */
    private long timeoutMillis(List<DemoCamera> cameras) {
        long playback = 0;
        if (realTime) {
            for (DemoCamera c : cameras) {
                if (!c.chunks().isEmpty()) {
                    VideoChunk first = c.chunks().get(0);
                    VideoChunk last = c.chunks().get(c.chunks().size() - 1);
                    long lastMillis = (long) (1000 * last.getFrameCount() / last.getFrameRate());
                    playback =
                            Math.max(
                                    playback,
                                    last.getStartTimestamp().toEpochMilli()
                                            - first.getStartTimestamp().toEpochMilli()
                                            + lastMillis);
                }
            }
        }
        return playback + TIMEOUT_MS;
    }

    private void printEvent(Object event) {
        if (event instanceof LabeledFrame f) {
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "  [%s] frame %5d  ",
                                    f.getCameraId(),
                                    f.getFrameIndex()));
            f.getLabels().stream()
                    .limit(3)
                    .forEach(
                            l ->
                                    sb.append(
                                            String.format(
                                                    Locale.ROOT,
                                                    "%s %.0f%% | ",
                                                    l.getName(),
                                                    100 * l.getScore())));
            say(sb.substring(0, sb.length() - 3));
        } else if (event instanceof Alert a) {
            say(
                    String.format(
                            Locale.ROOT,
                            "ALERT %s [%s] camera %s: %s (%d frames, peak %.2f)",
                            a.getRuleId(),
                            a.getSeverity(),
                            a.getCameraId(),
                            a.getLabel(),
                            a.getFrameCount(),
                            a.getPeakScore()));
        }
    }

    /** The dashboard's address, once the application started. */
    String dashboardUrl() {
        return dashboardUrl;
    }

    private synchronized void say(String line) {
        out.println(line);
        out.flush();
    }

    private List<DemoCamera> cameras() throws Exception {
        List<DemoCamera> list = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < clips.size(); i++) {
            Path clip = clips.get(i);
            String stem =
                    clip.getFileName()
                            .toString()
                            .replaceFirst("\\.[^.]+$", "")
                            .replaceAll("[^A-Za-z0-9_-]", "-");
            String base = clips.stream().distinct().count() == 1 ? "camera" : stem;
            int n = seen.merge(base, 1, Integer::sum);
            String id = base + "-" + n;
            List<VideoChunk> chunks = VideoChunks.ofClip(clip, id, now + 137L * i);
            if (maxChunks > 0 && chunks.size() > maxChunks) {
                chunks = chunks.subList(0, maxChunks);
            }
            list.add(new DemoCamera(id, clip, chunks));
        }
        return list;
    }

    private LabelerConfig config(Path state, int cameras) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("application.id", "kvl-demo-" + UUID.randomUUID().toString().substring(0, 8));
        p.put("state.dir", state.toString());
        p.put("num.stream.threads", Integer.toString(Math.min(4, cameras)));
        p.put("commit.interval.ms", "200");
        p.put(LabelerConfig.BATCH_SIZE_CONFIG, Integer.toString(Math.max(1, Math.min(8, cameras))));
        p.put(LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG, "40");
        p.put(LabelerConfig.SAMPLING_FPS_CONFIG, "2");
        p.put(LabelerConfig.SAMPLING_MODE_CONFIG, allFrames ? "all" : "fps");
        p.put(LabelerConfig.COUNTS_WINDOW_SIZE_MS_CONFIG, "10000");
        p.put(LabelerConfig.COUNTS_GRACE_MS_CONFIG, "2000");
        p.put(LabelerConfig.COUNTS_EMIT_CONFIG, "updates");
        p.put(LabelerConfig.ALERT_RULES_FILE_CONFIG, rules.toString());
        p.put(LabelerConfig.HTTP_PORT_CONFIG, Integer.toString(httpPort));
        if (schemaRegistryUrl != null) {
            p.put(LabelerConfig.SERDE_FORMAT_CONFIG, "confluent");
            p.put(LabelerConfig.REGISTRY_URL_CONFIG, schemaRegistryUrl);
        }
        return new LabelerConfig(p);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Summary summary(
            List<DemoCamera> cameras,
            DemoResults results,
            double seconds,
            DemoReport.Written report,
            Map<String, Set<Long>> expected,
            Map<String, Integer> partitions) {
        Map<String, Map<String, Integer>> top = results.topLabels();
        Map<String, Object> perCamera = new LinkedHashMap<>();
        int labeledTotal = 0;
        for (DemoCamera c : cameras) {
            Map<String, Object> m = new LinkedHashMap<>();
            // Both counted as distinct frame indexes: expected from the clip, labeled from the
            // labels topic.
            int labeled = results.labeledFrames(c.id()).size();
            labeledTotal += labeled;
            m.put("frames_sampled", expected.get(c.id()).size());
            m.put("frames_labeled", labeled);
            m.put("partition", partitions.get(c.id()));
            Map<String, Integer> labels = new LinkedHashMap<>();
            DemoResults.top(top.getOrDefault(c.id(), Map.of()), 5)
                    .forEach(e -> labels.put(e.getKey(), e.getValue()));
            m.put("top_labels", labels);
            perCamera.put(c.id(), m);
        }
        List<Map<String, Object>> alerts = new ArrayList<>();
        synchronized (results.alerts) {
            for (Alert a : results.alerts) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", a.getRuleId());
                m.put("camera", a.getCameraId());
                m.put("label", a.getLabel());
                m.put("severity", a.getSeverity().name());
                m.put("frames", a.getFrameCount());
                alerts.add(m);
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cameras", perCamera);
        s.put("alerts", alerts);
        s.put("frames_labeled", labeledTotal);
        s.put("seconds", Math.round(seconds * 10) / 10.0);
        s.put("report", report.page().toAbsolutePath().toString());
        return new Summary(s);
    }
}
