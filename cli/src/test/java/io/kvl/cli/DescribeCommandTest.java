package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DescribeCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        int code = Kvl.commandLine().setOut(new PrintWriter(out)).execute(args);
        assertThat(code).isZero();
        return out.toString();
    }

    private static JsonNode lastLine(String output) throws Exception {
        String[] lines = output.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void shouldPrintKerasParameterCountsForB0AsJson() throws Exception {
        JsonNode json = lastLine(run("describe", "--variant", "b0", "--json"));
        assertThat(json.get("resolution").asInt()).isEqualTo(224);
        assertThat(json.get("trainable_params").asLong()).isEqualTo(5_288_548L);
        assertThat(json.get("params").asLong()).isEqualTo(5_330_564L);
        assertThat(json.get("multiply_adds").asLong()).isBetween(366_000_000L, 414_000_000L);
        assertThat(json.get("blocks").asInt()).isEqualTo(16);
    }

    @Test
    void phiShouldGiveAModelBetweenItsNeighbours() throws Exception {
        JsonNode b1 = lastLine(run("describe", "--phi", "1", "--json"));
        JsonNode mid = lastLine(run("describe", "--phi", "1.5", "--json"));
        JsonNode b2 = lastLine(run("describe", "--phi", "2", "--json"));
        assertThat(mid.get("width").asDouble())
                .isEqualTo(Math.pow(1.1, 1.5), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(mid.get("depth").asDouble())
                .isEqualTo(Math.pow(1.2, 1.5), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(mid.get("resolution").asInt()).isEqualTo(280);
        assertThat(mid.get("multiply_adds").asLong())
                .isGreaterThan(b1.get("multiply_adds").asLong())
                .isLessThan(b2.get("multiply_adds").asLong());
        assertThat(mid.get("params").asLong())
                .isGreaterThan(b1.get("params").asLong())
                .isLessThan(b2.get("params").asLong());
        // FLOPs roughly double per unit of phi: (1.2 * 1.1^2 * 1.15^2)^0.5 ~ 1.43 over phi = 1
        double ratio = mid.get("multiply_adds").asDouble() / b1.get("multiply_adds").asDouble();
        assertThat(ratio).isBetween(1.2, 1.7);
    }

    @Test
    void shouldRejectVariantAndPhiTogether() {
        StringWriter err = new StringWriter();
        int code =
                Kvl.commandLine()
                        .setErr(new PrintWriter(err))
                        .setOut(new PrintWriter(new StringWriter()))
                        .execute("describe", "--variant", "b0", "--phi", "1");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("not both");
    }
}
