package io.kvl.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.cli.Kvl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command in a shortened mode: two cameras, two chunks each, not real time. */
class DemoCommandIT {

    @Test
    void demoShouldLabelTheSampleClipRaiseTheBottleAlertAndWriteAReport(@TempDir Path tmp)
            throws Exception {
        StringWriter out = new StringWriter();
        int code =
                Kvl.commandLine()
                        .setOut(new PrintWriter(out))
                        .execute(
                                "demo",
                                "--fast",
                                "--cameras",
                                "2",
                                "--max-chunks",
                                "2",
                                "--report",
                                tmp.resolve("report").toString(),
                                "--json");
        assertThat(code).as(out.toString()).isZero();
        String[] lines = out.toString().strip().split("\n");
        JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]);

        assertThat(summary.get("cameras")).hasSize(2);
        for (JsonNode camera : summary.get("cameras")) {
            assertThat(camera.get("frames_labeled").asInt())
                    .isPositive()
                    .isEqualTo(camera.get("frames_sampled").asInt());
            // The bundled clip shows bottles on a table: the model must say so.
            assertThat(camera.get("top_labels").fieldNames()).toIterable().contains("water bottle");
        }
        assertThat(summary.get("alerts")).isNotEmpty();
        assertThat(summary.get("alerts").get(0).get("rule").asText()).isEqualTo("bottle-on-table");
        String html = Files.readString(Path.of(summary.get("report").asText()));
        assertThat(html)
                .contains("<img src='data:image/jpeg;base64,")
                .contains("<polyline")
                .contains("bottle-on-table");
        assertThat(out.toString()).contains("progress:").contains("ALERT bottle-on-table");
    }
}
