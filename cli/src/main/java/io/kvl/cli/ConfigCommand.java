package io.kvl.cli;

import io.kvl.streams.config.LabelerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kvl config}: the configuration reference, generated from the ConfigDef. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Print the labeling application's configuration keys as a Markdown table.")
final class ConfigCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(LabelerConfig.toMarkdown());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
