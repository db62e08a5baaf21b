package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Few, short measurements of the bundled model: the figures' shape, not their size. */
class BenchCommandTest {
    /** " 2 86.7 22.7 25.1 18". */
    private static final Pattern ROW =
            Pattern.compile(" +(\\d+) +(\\d+\\.\\d) +(\\d+\\.\\d) +(\\d+\\.\\d) +(\\d+)");

    @TempDir Path tmp;

    @Test
    void shouldPrintARowPerBatchSizeAndTheSameFiguresAsJson() {
        CliRun run = CliRun.of("bench", "--batch-sizes", "1,2", "--seconds", "0.2", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        int cores = Runtime.getRuntime().availableProcessors();
        // The engine is measured at load (model.engine=auto), so either may win.
        assertThat(lines.get(0))
                .matches(
                        "efficientnet-lite0-imagenet \\(efficientnet-lite0, 224x224\\) on"
                                + " cpu\\(\\), engine (tensorflow|onnxruntime), precision fp32, "
                                + cores
                                + " cores");
        assertThat(lines.get(1).split(" +")).containsSubsequence("batch", "images/s", "calls");
        List<Matcher> rows = new ArrayList<>();
        for (String line : lines.subList(2, 4)) {
            Matcher m = ROW.matcher(line);
            assertThat(m.matches()).as("row '%s'", line).isTrue();
            rows.add(m);
        }
        assertThat(lines).hasSize(5);
        JsonNode json = run.lastJson();
        assertThat(json.get("cores").asInt()).isEqualTo(cores);
        JsonNode results = json.get("results");
        assertThat(results).hasSize(2);
        double best = 0;
        int bestBatch = 0;
        for (int i = 0; i < 2; i++) {
            JsonNode r = results.get(i);
            Matcher row = rows.get(i);
            assertThat(r.get("batch").asInt())
                    .isEqualTo(i + 1)
                    .isEqualTo(Integer.parseInt(row.group(1)));
            assertThat(r.get("images_per_second").asDouble())
                    .isPositive()
                    .isEqualTo(Double.parseDouble(row.group(2)), Offset.offset(0.1));
            assertThat(r.get("p50_ms").asDouble())
                    .isPositive()
                    .isLessThanOrEqualTo(r.get("p99_ms").asDouble());
            // At least 5 timed calls per batch size, whatever --seconds says.
            assertThat(Integer.parseInt(row.group(5))).isGreaterThanOrEqualTo(5);
            if (r.get("images_per_second").asDouble() > best) {
                best = r.get("images_per_second").asDouble();
                bestBatch = r.get("batch").asInt();
            }
        }
        assertThat(json.get("best_batch").asInt()).isEqualTo(bestBatch);
        assertThat(json.get("best_images_per_second").asDouble()).isEqualTo(best);
    }

    @Test
    void shouldReportResidentMemoryOfAShortSoak() {
        CliRun run = CliRun.of("bench", "--soak", "0.01", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = run.lastJson();
        long batches = json.get("batches").asLong();
        assertThat(batches).isPositive();
        long before = json.get("rss_after_warmup_mb").asLong();
        long after = json.get("rss_end_mb").asLong();
        assertThat(before).isPositive();
        assertThat(json.get("rss_growth_mb").asLong()).isEqualTo(after - before);
        assertThat(run.outLines()).contains("after warm-up: RSS " + before + " MB");
        assertThat(run.outLines())
                .contains(
                        String.format(
                                "end, %d batches: RSS %d MB (%+d MB)",
                                batches, after, after - before));
    }

    @Test
    void shouldPrintKernelTimePerOpTypeWhenProfiling() {
        CliRun run = CliRun.of("bench", "--profile", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode ops = run.lastJson().get("profile");
        assertThat(ops).isNotEmpty().hasSizeLessThanOrEqualTo(15);
        double share = 0;
        double previous = Double.MAX_VALUE;
        for (JsonNode op : ops) {
            assertThat(op.get("ms").asDouble()).isLessThanOrEqualTo(previous);
            previous = op.get("ms").asDouble();
            share += op.get("share").asDouble();
        }
        // The listed ops are the most expensive ones, so a share of all kernel time (with
        // rounding).
        assertThat(share).isPositive().isLessThanOrEqualTo(1.01);
        // Convolutions dominate a CNN's kernel time.
        assertThat(ops.get(0).get("op").asText()).containsIgnoringCase("conv");
    }

    @Test
    void shouldRejectABatchSizeBelowOne() {
        CliRun run = CliRun.of("bench", "--batch-sizes", "4,0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("kvl bench: --batch-sizes: each must be at least 1, got 0\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldRejectANonPositiveMeasuringTime() {
        CliRun run = CliRun.of("bench", "--seconds", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kvl bench: --seconds must be positive, got 0.0\n");
    }

    @Test
    void shouldFailNamingAMissingModelDirectory() {
        Path model = tmp.resolve("no-model");

        CliRun run = CliRun.of("bench", "--model", model.toString(), "--seconds", "0.1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kvl bench: " + model + " is not a kvl model directory");
    }
}
