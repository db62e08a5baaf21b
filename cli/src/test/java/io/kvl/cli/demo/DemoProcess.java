package io.kvl.cli.demo;

import io.kvl.cli.Kvl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code kvl demo} in a child JVM, as a user starts it: its output goes to a log file. */
final class DemoProcess {
    private DemoProcess() {}

    /**
     * @param tmp the child's temp directory and the root of its state folders, so that only this
     *     demo's folders are in it
     */
    static Process start(Path tmp, Path log, String... demoArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-D" + DemoCleanup.STATE_ROOT_PROPERTY + "=" + tmp);
        command.add("-Dkvl.home=" + System.getProperty("kvl.home"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Kvl.class.getName());
        command.add("demo");
        command.addAll(List.of(demoArgs));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
