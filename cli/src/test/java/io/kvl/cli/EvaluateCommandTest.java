package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvl.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
    @TempDir Path tmp;

    @Test
    void shouldReportTheReadmeAccuracyOnTheImageNetSample() throws Exception {
        Path sample = Fixtures.imagenetSample();
        long photos;
        try (Stream<Path> files = Files.list(sample)) {
            photos = files.filter(p -> p.toString().endsWith(".JPEG")).count();
        }

        CliRun run = CliRun.of("evaluate", "--images", sample.toString(), "--worst", "3", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = run.lastJson();
        assertThat(json.get("n").asLong()).isEqualTo(photos);
        assertThat(json.get("model").asText()).isEqualTo("efficientnet-lite0-imagenet");
        // The README's Accuracy table (89.0% / 99.0%): a change of model or preprocessing that
        // moves them must update it.
        assertThat(json.get("top1").asDouble()).isEqualTo(0.89);
        assertThat(json.get("top5").asDouble()).isEqualTo(0.99);
        List<String> lines = run.outLines();
        assertThat(lines.get(0))
                .startsWith(
                        "efficientnet-lite0-imagenet on "
                                + photos
                                + " images: top-1 89.0%, top-5 99.0%");
        assertThat(lines.get(1)).startsWith("worst classes");
        // --worst 3: three classes, then the JSON line.
        assertThat(lines).hasSize(2 + 3 + 1);
        assertThat(lines.subList(2, 5))
                .allMatch(l -> l.matches("  .+ p=\\d\\.\\d{4} rank +\\d+  predicted .+"));
    }

    @Test
    void shouldFailNamingTheFileWhenALabeledImageIsUndecodable() throws Exception {
        TestImages.png(tmp.resolve("n01440764_tench.png"), 1);
        Path bad = TestImages.notAnImage(tmp.resolve("n01443537_goldfish.JPEG"));

        CliRun run = CliRun.of("evaluate", "--images", tmp.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kvl evaluate: not a decodable image: " + bad + "\n");
    }

    @Test
    void shouldFailWhenNoFileIsNamedAfterItsSynset() throws Exception {
        TestImages.png(tmp.resolve("holiday.png"), 2);

        CliRun run = CliRun.of("evaluate", "--images", tmp.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("kvl evaluate: no <synset>_<name>.JPEG files in " + tmp + "\n");
    }

    @Test
    void shouldFailBeforeLoadingTheModelWhenTheDirectoryIsMissing() {
        Path missing = tmp.resolve("photos");

        CliRun run =
                CliRun.of(
                        "evaluate",
                        "--model",
                        tmp.resolve("no-model").toString(),
                        "--images",
                        missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("kvl evaluate: --images: no such directory: " + missing + "\n");
    }

    @Test
    void shouldRequireTheImagesOption() {
        CliRun run = CliRun.of("evaluate", "--json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required option: '--images=DIR'");
    }
}
