package io.kvl.cli;

import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.InferenceBenchmark;
import io.kvl.efficientnet.runtime.OpProfiler;
import io.kvl.image.RgbImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvl bench}: images/second and latency through the same predictor path streaming uses. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Measure inference throughput and latency per batch size (after warm-up),"
                        + " or resident memory over a soak run.")
final class BenchCommand implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--batch-sizes",
            split = ",",
            defaultValue = "1,2,4,8,16,32",
            description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(
            names = "--seconds",
            defaultValue = "4",
            description = "Measuring time per batch size (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description =
                    "Predictors running batches at the same time, one thread each (as"
                            + " model.workers does; default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--soak",
            paramLabel = "MINUTES",
            description = "Instead: run batch 8 for this long and report resident memory growth.")
    Double soakMinutes;

    @Option(
            names = "--profile",
            description = "Instead: trace 5 runs at batch 8 and print kernel time per op type.")
    boolean profile;

    @Option(names = "--json", description = "Print one JSON object on the last line.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        validate();
        if (profile) {
            return profile(out);
        }
        try (EfficientNetModel model = modelOptions.load();
                EfficientNetPredictor predictor = model.newPredictor()) {
            List<EfficientNetPredictor> predictors = new ArrayList<>(List.of(predictor));
            for (int i = 1; i < workers; i++) {
                predictors.add(model.newPredictor());
            }
            int res = model.info().resolution();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model", model.info().name());
            summary.put("model_dir", modelOptions.modelDirectory().toString());
            summary.put("variant", model.info().variant());
            summary.put("resolution", res);
            summary.put("device", model.device().toString());
            summary.put("engine", model.engine().configName());
            summary.put("precision", model.precision().configName());
            summary.put("workers", workers);
            summary.put("intra_op_threads", modelOptions.runtimeOptions().intraOpThreads());
            summary.put("cores", Runtime.getRuntime().availableProcessors());
            if (soakMinutes != null) {
                InferenceBenchmark.SoakResult soak =
                        InferenceBenchmark.soak(
                                predictor,
                                images(8, res),
                                soakMinutes,
                                line -> {
                                    out.println(line);
                                    out.flush();
                                });
                summary.put("soak_minutes", soakMinutes);
                summary.put("batches", soak.batches());
                summary.put("rss_after_warmup_mb", soak.rssAfterWarmupMb());
                summary.put("rss_end_mb", soak.rssEndMb());
                summary.put("rss_growth_mb", soak.rssEndMb() - soak.rssAfterWarmupMb());
            } else {
                sweep(predictors, model, res, summary, out);
            }
            for (EfficientNetPredictor p : predictors.subList(1, predictors.size())) {
                p.close();
            }
            if (json) {
                out.println(Json.line(summary));
            }
        }
        out.flush();
        return 0;
    }

    /** Nonsense figures (batch 0 "measured" at 0 images/s, exit 0) are worse than an error. */
    private void validate() {
        for (int b : batchSizes) {
            if (b < 1) {
                throw new IllegalArgumentException(
                        "--batch-sizes: each must be at least 1, got " + b);
            }
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
        }
        if (soakMinutes != null && !(soakMinutes > 0)) {
            throw new IllegalArgumentException("--soak must be positive, got " + soakMinutes);
        }
    }

    private void sweep(
            List<EfficientNetPredictor> predictors,
            EfficientNetModel model,
            int res,
            Map<String, Object> summary,
            PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "%s (%s, %dx%d) on %s, engine %s, precision %s, %d cores%n",
                model.info().name(),
                model.info().variant(),
                res,
                res,
                model.device(),
                model.engine().configName(),
                model.precision().configName(),
                Runtime.getRuntime().availableProcessors());
        out.printf(
                Locale.ROOT,
                "%6s %10s %9s %9s %8s%n",
                "batch",
                "images/s",
                "p50 ms",
                "p99 ms",
                "calls");
        List<Map<String, Object>> rows = new ArrayList<>();
        double best = 0;
        int bestBatch = 0;
        for (int b : batchSizes) {
            InferenceBenchmark.Result r =
                    InferenceBenchmark.measureParallel(predictors, images(b, res), seconds);
            out.printf(
                    Locale.ROOT,
                    "%6d %10.1f %9.1f %9.1f %8d%n",
                    b,
                    r.imagesPerSecond(),
                    r.p50Millis(),
                    r.p99Millis(),
                    r.calls());
            out.flush();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("batch", b);
            row.put("images_per_second", round(r.imagesPerSecond()));
            row.put("p50_ms", round(r.p50Millis()));
            row.put("p99_ms", round(r.p99Millis()));
            rows.add(row);
            if (r.imagesPerSecond() > best) {
                best = r.imagesPerSecond();
                bestBatch = b;
            }
        }
        summary.put("results", rows);
        summary.put("best_batch", bestBatch);
        summary.put("best_images_per_second", round(best));
    }

    private int profile(PrintWriter out) throws Exception {
        List<OpProfiler.OpTime> ops =
                OpProfiler.profile(
                        modelOptions.modelDirectory(), modelOptions.runtimeOptions(), 8, 5);
        out.printf(
                Locale.ROOT,
                "%-40s %8s %10s %7s%n",
                "op (after grappler/oneDNN rewrites)",
                "kernels",
                "ms",
                "share");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OpProfiler.OpTime t : ops.subList(0, Math.min(15, ops.size()))) {
            out.printf(
                    Locale.ROOT,
                    "%-40s %8d %10.1f %6.1f%%%n",
                    t.op(),
                    t.kernels(),
                    t.millis(),
                    100 * t.share());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("op", t.op());
            row.put("ms", round(t.millis()));
            row.put("share", Math.round(t.share() * 1000) / 1000.0);
            rows.add(row);
        }
        if (json) {
            out.println(Json.line(Map.of("profile", rows)));
        }
        out.flush();
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Random pixels: throughput of a dense CNN does not depend on the content. */
    private static List<RgbImage> images(int n, int res) {
        Random random = new Random(n);
        List<RgbImage> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[res * res * 3];
            random.nextBytes(px);
            list.add(new RgbImage(res, res, px));
        }
        return list;
    }
}
