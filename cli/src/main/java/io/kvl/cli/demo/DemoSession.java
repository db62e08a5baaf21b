package io.kvl.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.schemas.Alert;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.simulator.ClipPublisher;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.video.VideoChunks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One run of the demo against a broker: publish, label, aggregate, alert, report. */
final class DemoSession {
    private static final long TIMEOUT_MS = 240_000;

    private final String bootstrap;
    private final List<Path> clips;
    private final Path rules;
    private final boolean realTime;
    private final int maxChunks;
    private final boolean allFrames;
    private final PrintWriter out;

    /**
     * How the clips are played.
     *
     * @param realTime pace chunks by capture time, as live cameras would
     * @param maxChunks chunks per camera, 0 for whole clips
     * @param allFrames label every frame instead of sampling 2 per second
     */
    record Pace(boolean realTime, int maxChunks, boolean allFrames) {}

    DemoSession(String bootstrap, List<Path> clips, Path rules, Pace pace, PrintWriter out) {
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

    Summary run(Path reportDir) throws Exception {
        List<DemoCamera> cameras = cameras();
        int published = cameras.stream().mapToInt(c -> c.chunks().size()).sum();
        Path state = Files.createTempDirectory("kvl-demo-state");
        LabelerConfig config = config(state, cameras.size());
        DemoTopics.create(bootstrap, config, Math.max(4, cameras.size()));
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
        long start = System.nanoTime();
        try (LabelerApp app = LabelerApp.start(config);
                DemoConsumer consumer =
                        DemoConsumer.start(bootstrap, config, results, this::printEvent)) {
            ExecutorService pool = Executors.newFixedThreadPool(cameras.size());
            List<Future<?>> publishing = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                ClipPublisher publisher = new ClipPublisher(producer, config.chunksTopic());
                for (DemoCamera c : cameras) {
                    publishing.add(
                            pool.submit(
                                    () -> {
                                        publisher.publish(c.chunks(), realTime);
                                        return null;
                                    }));
                }
                awaitCompletion(app.registry(), results, publishing, published, start);
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            DemoReport.Written report =
                    DemoReport.write(reportDir, cameras, results, config, seconds);
            say("Report: " + report.page().toAbsolutePath());
            return summary(cameras, results, seconds, report, allFrames);
        }
    }

    private void awaitCompletion(
            MeterRegistry registry,
            DemoResults results,
            List<Future<?>> publishing,
            int published,
            long start)
            throws InterruptedException {
        int lastFrames = -1;
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(2_000);
            double processed =
                    count(registry, "kvl.chunks.processed") + count(registry, "kvl.dead.letters");
            int frames = results.frames.size();
            double seconds = (System.nanoTime() - start) / 1e9;
            say(
                    String.format(
                            Locale.ROOT,
                            "progress: %d frames labeled (%.1f/s), chunks %d/%d processed, lag %d"
                                    + " chunks, batch sizes %s",
                            frames,
                            frames / seconds,
                            (int) processed,
                            published,
                            published - (int) processed,
                            batchSizes(results)));
            boolean publishedAll = publishing.stream().allMatch(Future::isDone);
            if (publishedAll && processed >= published && frames == lastFrames) {
                return;
            }
            lastFrames = frames;
        }
        throw new IllegalStateException(
                "the demo did not finish within " + TIMEOUT_MS / 1000 + " s");
    }

    private static double count(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Map<Integer, Integer> batchSizes(DemoResults results) {
        Map<Integer, Integer> m = new TreeMap<>();
        synchronized (results.frames) {
            for (LabeledFrame f : results.frames) {
                m.merge(f.getBatchSize(), 1, Integer::sum);
            }
        }
        return m;
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
        p.put(LabelerConfig.HTTP_PORT_CONFIG, "0");
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
            boolean allFrames) {
        Map<String, Map<String, Integer>> top = results.topLabels();
        Map<String, Object> perCamera = new LinkedHashMap<>();
        for (DemoCamera c : cameras) {
            Map<String, Object> m = new LinkedHashMap<>();
            long labeled;
            synchronized (results.frames) {
                labeled =
                        results.frames.stream().filter(f -> f.getCameraId().equals(c.id())).count();
            }
            // In all-frames mode every decoded frame is labeled; otherwise the fps sampler decides.
            m.put(
                    "frames_sampled",
                    allFrames
                            ? c.chunks().stream().mapToInt(VideoChunk::getFrameCount).sum()
                            : report.sampledFrames().get(c.id()));
            m.put("frames_labeled", labeled);
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
        s.put("frames_labeled", results.frames.size());
        s.put("seconds", Math.round(seconds * 10) / 10.0);
        s.put("report", report.page().toAbsolutePath().toString());
        return new Summary(s);
    }
}
