package io.kvl.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kvl} command: one entry point for every user-facing task. */
@Command(
        name = "kvl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "kafka-video-labeler: label live camera video on Apache Kafka with EfficientNet.",
        subcommands = {
            DescribeCommand.class,
            ExportCommand.class,
            ClassifyCommand.class,
            EvaluateCommand.class,
            QuantizeCommand.class,
            io.kvl.cli.bench.PipelineBenchCommand.class,
            BenchCommand.class,
            RunCommand.class,
            io.kvl.cli.demo.DemoCommand.class,
            ConfigCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Kvl implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Kvl())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Kvl::reportError);
    }

    /**
     * User errors (bad values, missing files) print one line and exit 2; set KVL_DEBUG=1 for the
     * stack trace.
     */
    private static int reportError(
            Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        cmd.getErr().println("kvl " + cmd.getCommandName() + ": " + message(e));
        if (System.getenv("KVL_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return 2;
    }

    /**
     * The one line a user sees. Java's file exceptions carry only the path as their message, and
     * some exceptions none at all, so those get words.
     */
    public static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            return e.getClass().getSimpleName()
                    + (e.getCause() == null ? "" : ": " + message(e.getCause()));
        }
        return e.getMessage();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
