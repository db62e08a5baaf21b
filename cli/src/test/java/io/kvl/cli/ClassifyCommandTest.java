package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {
    /** One label line: " 97.58% 130 flamingo". */
    private static final Pattern ROW = Pattern.compile(" +(\\d+\\.\\d\\d)% +(\\d+)  (.+)");

    @TempDir Path tmp;

    record Row(double percent, int index, String name) {}

    /** The label rows of the block that starts at {@code header}. */
    static List<Row> rows(List<String> lines, int header) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(header + 1, header + 6)) {
            Matcher m = ROW.matcher(line);
            assertThat(m.matches()).as("label line '%s'", line).isTrue();
            rows.add(
                    new Row(
                            Double.parseDouble(m.group(1)),
                            Integer.parseInt(m.group(2)),
                            m.group(3)));
        }
        return rows;
    }

    @Test
    void shouldNameTheTrueClassFirstForAnImageNetPhoto() {
        // The file name carries the true class: synset n02007558 is "flamingo".
        Path photo = Fixtures.imagenetSample().resolve("n02007558_flamingo.JPEG");
        ImageNetClasses classes = ImageNetClasses.get();
        int flamingo = classes.indexOf("n02007558");

        CliRun run = CliRun.of("classify", photo.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo(photo.toString());
        List<Row> rows = rows(lines, 0);
        assertThat(rows.get(0).index()).isEqualTo(flamingo);
        assertThat(rows.get(0).name()).isEqualTo(classes.name(flamingo)).isEqualTo("flamingo");
        assertThat(rows.get(0).percent()).isGreaterThan(50);
        assertThat(rows).extracting(Row::percent).isSortedAccordingTo((a, b) -> b.compareTo(a));
        for (Row r : rows) {
            assertThat(r.name()).isEqualTo(classes.name(r.index()));
        }
    }

    @Test
    void shouldClassifyMoreImagesThanOneBatchInTheGivenOrder() throws Exception {
        // 17 images: one more than the command's batch of 16. The first and the last are the same
        // picture, so they must get the same labels though they run in different batches.
        List<String> args = new ArrayList<>(List.of("classify"));
        for (int i = 0; i < 17; i++) {
            args.add(TestImages.png(tmp.resolve("image-" + i + ".png"), i % 16).toString());
        }

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(17 * 6);
        for (int i = 0; i < 17; i++) {
            assertThat(lines.get(6 * i)).isEqualTo(args.get(i + 1));
            assertThat(rows(lines, 6 * i)).hasSize(5);
        }
        List<Row> first = rows(lines, 0);
        List<Row> last = rows(lines, 16 * 6);
        // A batch of 16 and a batch of 1 may use different kernels: equal up to rounding.
        assertThat(last).extracting(Row::index).isEqualTo(first.stream().map(Row::index).toList());
        for (int k = 0; k < 5; k++) {
            assertThat(last.get(k).percent())
                    .isCloseTo(first.get(k).percent(), org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @Test
    void shouldFailNamingTheFileWhenAnImageIsUndecodable() throws Exception {
        Path bad = TestImages.notAnImage(tmp.resolve("bad.jpg"));

        CliRun run = CliRun.of("classify", bad.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kvl classify: not a decodable image: " + bad + "\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldReportAMissingImageBeforeLoadingTheModel() {
        // The model directory is missing too: the image is named, so it was checked first.
        Path missing = tmp.resolve("missing.jpg");

        CliRun run =
                CliRun.of(
                        "classify",
                        "--model",
                        tmp.resolve("no-model").toString(),
                        missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("kvl classify: no such file or directory: " + missing + "\n");
    }

    @Test
    void shouldFailNamingTheDirectoryWhenTheModelIsMissing() throws Exception {
        Path image = TestImages.png(tmp.resolve("image.png"), 0);
        Path model = tmp.resolve("no-model");

        CliRun run = CliRun.of("classify", "--model", model.toString(), image.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "kvl classify: "
                                + model
                                + " is not a kvl model directory (no kvl-model.json); create one"
                                + " with 'kvl export'\n");
    }

    @Test
    void shouldRequireAnImage() {
        CliRun run = CliRun.of("classify");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("Missing required parameter: 'IMAGE'")
                .contains("Usage: kvl classify");
        assertThat(run.out()).isEmpty();
    }
}
