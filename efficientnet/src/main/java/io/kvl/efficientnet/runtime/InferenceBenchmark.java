package io.kvl.efficientnet.runtime;

import io.kvl.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Throughput, latency and memory measurements of an {@link EfficientNetPredictor}. */
public final class InferenceBenchmark {
    /** Calls before measuring: the first call at a new batch shape costs 0.3-2.5 s. */
    public static final int WARMUP_CALLS = 3;

    private InferenceBenchmark() {}

    /** Figures for one batch size. */
    public record Result(
            int batch, long calls, double imagesPerSecond, double p50Millis, double p99Millis) {}

    /** Figures of a soak run. */
    public record SoakResult(long batches, long rssAfterWarmupMb, long rssEndMb) {}

    public static Result measure(
            EfficientNetPredictor predictor, List<RgbImage> batch, double seconds) {
        for (int i = 0; i < WARMUP_CALLS; i++) {
            predictor.predict(batch);
        }
        long budget = (long) (seconds * 1e9);
        long[] latencies = new long[4096];
        int calls = 0;
        long start = System.nanoTime();
        long now = start;
        while ((now - start < budget || calls < 5) && calls < latencies.length) {
            long t = System.nanoTime();
            predictor.predict(batch);
            now = System.nanoTime();
            latencies[calls++] = now - t;
        }
        long[] sorted = Arrays.copyOf(latencies, calls);
        Arrays.sort(sorted);
        double elapsed = (now - start) / 1e9;
        return new Result(
                batch.size(),
                calls,
                calls * batch.size() / elapsed,
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6);
    }

    /**
     * Like {@link #measure}, with one thread per predictor running {@code batch} at the same time
     * (as {@code model.workers} inference threads do); images/s is their sum, latencies are per
     * call across all threads.
     */
    public static Result measureParallel(
            List<EfficientNetPredictor> predictors, List<RgbImage> batch, double seconds) {
        if (predictors.size() == 1) {
            return measure(predictors.get(0), batch, seconds);
        }
        ExecutorService pool = Executors.newFixedThreadPool(predictors.size());
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (EfficientNetPredictor p : predictors) {
                futures.add(pool.submit(() -> measure(p, batch, seconds)));
            }
            double rate = 0;
            double p50 = 0;
            double p99 = 0;
            long calls = 0;
            for (Future<Result> f : futures) {
                Result r = f.get();
                rate += r.imagesPerSecond();
                p50 = Math.max(p50, r.p50Millis());
                p99 = Math.max(p99, r.p99Millis());
                calls += r.calls();
            }
            return new Result(batch.size(), calls, rate, p50, p99);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("benchmark failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code batch} repeatedly for {@code minutes}, reporting resident memory every 30 s. */
    public static SoakResult soak(
            EfficientNetPredictor predictor,
            List<RgbImage> batch,
            double minutes,
            Consumer<String> log) {
        for (int i = 0; i < 20; i++) {
            predictor.predict(batch);
        }
        System.gc();
        long rss0 = residentMegabytes();
        log.accept(String.format(Locale.ROOT, "after warm-up: RSS %d MB", rss0));
        if (!java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments()
                .contains("-XX:+AlwaysPreTouch")) {
            // Heap pages become resident as the young generation first fills: that climb is Java
            // garbage, not a leak. A pre-touched heap makes RSS growth show native memory only.
            log.accept(
                    "note: run with KVL_JAVA_OPTS=\"-Xms512m -Xmx512m -XX:+AlwaysPreTouch\" so that"
                            + " RSS growth measures native memory, not the heap filling up");
        }
        long end = System.nanoTime() + (long) (minutes * 60e9);
        long nextReport = System.nanoTime() + 30_000_000_000L;
        long batches = 0;
        while (System.nanoTime() < end) {
            predictor.predict(batch);
            batches++;
            if (System.nanoTime() > nextReport) {
                log.accept(
                        String.format(
                                Locale.ROOT,
                                "%d batches: RSS %d MB",
                                batches,
                                residentMegabytes()));
                nextReport += 30_000_000_000L;
            }
        }
        System.gc();
        long rss1 = residentMegabytes();
        log.accept(
                String.format(
                        Locale.ROOT,
                        "end, %d batches: RSS %d MB (%+d MB)",
                        batches,
                        rss1,
                        rss1 - rss0));
        return new SoakResult(batches, rss0, rss1);
    }

    private static long percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** VmRSS of this process from /proc (Linux), or -1 elsewhere. */
    static long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
