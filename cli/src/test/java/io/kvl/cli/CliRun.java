package io.kvl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of {@code kvl}, as a user would see it: the exit code and what the command
 * printed on stdout and stderr (logging goes elsewhere).
 */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return of(Kvl.commandLine(), args);
    }

    /** Runs {@code args} on a command line whose commands a test has adjusted. */
    static CliRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    /** The one-line JSON object {@code --json} prints last. */
    JsonNode lastJson() {
        List<String> lines = outLines();
        try {
            return new ObjectMapper().readTree(lines.get(lines.size() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
