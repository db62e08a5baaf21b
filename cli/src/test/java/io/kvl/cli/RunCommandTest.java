package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kvl run}'s failures at start, none of which needs a broker. */
class RunCommandTest {
    @TempDir Path tmp;

    private Path config(String... lines) throws Exception {
        return Files.writeString(
                tmp.resolve("labeler.properties"), String.join("\n", lines) + "\n");
    }

    /** Runs {@code kvl run --config FILE} with {@code env} as the environment. */
    private static CliRun run(Path config, Map<String, String> env, Duration clusterTimeout) {
        CommandLine cli = Kvl.commandLine();
        RunCommand command = cli.getSubcommands().get("run").getCommand();
        command.environment = env;
        command.clusterTimeout = clusterTimeout;
        command.lifetime =
                app -> {
                    app.close();
                    throw new AssertionError("the application must not start");
                };
        return CliRun.of(cli, "run", "--config", config.toString());
    }

    private static CliRun run(Path config) {
        return run(config, Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void shouldFailNamingTheKeyWhenAValueIsInvalid() throws Exception {
        CliRun run = run(config("bootstrap.servers=localhost:9092", "batch.size=0"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "kvl run: Invalid value 0 for configuration batch.size: expected auto or a"
                                + " number from 1 to 256\n");
    }

    @Test
    void shouldFailNamingTheKeyAndTheChoicesWhenAValueIsUnknown() throws Exception {
        CliRun run = run(config("bootstrap.servers=localhost:9092", "sampling.mode=sometimes"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "kvl run: Invalid value sometimes for configuration sampling.mode: String"
                                + " must be one of: fps, keyframes, all\n");
    }

    @Test
    void shouldFailNamingTheKeyWhenAnEnvironmentOverrideIsInvalid() throws Exception {
        Path file = config("bootstrap.servers=localhost:9092", "sampling.fps=2");

        CliRun run = run(file, Map.of("KVL_SAMPLING_FPS", "fast"), Duration.ofSeconds(30));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "kvl run: Invalid value fast for configuration sampling.fps: Not a number"
                                + " of type DOUBLE\n");
    }

    @Test
    void shouldFailNamingTheFileWhenTheAlertRulesAreMissing() throws Exception {
        // Checked before the model loads and before any broker is contacted.
        Path rules = tmp.resolve("rules.yaml");
        CliRun run = run(config("bootstrap.servers=localhost:9092", "alerts.rules.file=" + rules));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kvl run: " + rules + ": cannot read");
    }

    @Test
    void shouldFailNamingTheDirectoryWhenTheModelIsMissing() throws Exception {
        Path model = tmp.resolve("no-model");
        CliRun run = run(config("bootstrap.servers=localhost:9092", "model.dir=" + model));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kvl run: " + model + " is not a kvl model directory");
    }

    @Test
    void shouldFailWhenBootstrapServersIsMissing() throws Exception {
        CliRun run = run(config("batch.size=4"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "kvl run: Missing required configuration \"bootstrap.servers\" which has"
                                + " no default value.\n");
    }

    @Test
    void shouldFailNamingAMissingConfigFile() {
        Path missing = tmp.resolve("missing.properties");

        CliRun run = run(missing);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kvl run: no such file or directory: " + missing + "\n");
    }

    @Test
    void shouldFailNamingTheAddressWhenNoBrokerAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;

        CliRun run = run(config("bootstrap.servers=" + bootstrap), Map.of(), Duration.ofSeconds(2));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith(
                        "kvl run: no answer from the Kafka cluster at "
                                + bootstrap
                                + " within 2 s");
    }

    @Test
    void shouldRequireTheConfigOption() {
        CliRun run = CliRun.of("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required option: '--config=FILE'");
    }
}
