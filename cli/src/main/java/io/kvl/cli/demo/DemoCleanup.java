package io.kvl.cli.demo;

import io.kvl.efficientnet.tensorflow.TensorFlowNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo must undo however it ends: the labeling application, the broker, the Kafka Streams
 * state folder. Undone once, newest first, by {@link #close()} at the normal end or after a
 * failure, or by a shutdown hook on Ctrl-C/SIGTERM (the JVM then runs no {@code finally} block of
 * the main thread, so without the hook every interrupted demo left its state folder in the temp
 * directory).
 */
final class DemoCleanup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCleanup.class);

    /** Prefix of the state folders; the process id tells whose a folder is. */
    static final String STATE_PREFIX = "kvl-demo-state-";

    static final String STATE_ROOT_PROPERTY = "kvl.demo.state.dir";

    private final Deque<Step> steps = new ArrayDeque<>();
    private final Thread hook = new Thread(this::undo, "kvl-demo-cleanup");
    private boolean undone;

    private record Step(String what, AutoCloseable action) {}

    private DemoCleanup() {}

    /** A cleanup that also runs when the JVM is asked to stop. */
    static DemoCleanup withShutdownHook() {
        DemoCleanup cleanup = new DemoCleanup();
        Runtime.getRuntime().addShutdownHook(cleanup.hook);
        return cleanup;
    }

    /** Registers {@code resource} to be closed (before everything registered earlier). */
    <T extends AutoCloseable> T add(String what, T resource) {
        synchronized (this) {
            if (!undone) {
                steps.push(new Step(what, resource));
                return resource;
            }
        }
        // Already undone (the JVM is stopping): do not leave this one behind either.
        closeQuietly(new Step(what, resource));
        return resource;
    }

    /**
     * Where the demo's state folders go: {@code kvl.demo.state.dir}, else {@code demo-state} in the
     * user's kvl cache. Not the OS temp directory: Kafka Streams warns (rightly, for a real
     * application) that the OS may clean it under a running instance.
     */
    static Path stateRoot() {
        String configured = System.getProperty(STATE_ROOT_PROPERTY);
        return configured != null
                ? Path.of(configured)
                : TensorFlowNatives.cacheDirectory().resolve("demo-state");
    }

    /** A new Kafka Streams state folder under {@link #stateRoot()}, deleted with the others. */
    Path stateDirectory() throws IOException {
        Path root = Files.createDirectories(stateRoot());
        Path dir =
                Files.createTempDirectory(root, STATE_PREFIX + ProcessHandle.current().pid() + "-");
        add("delete " + dir, () -> Utils.delete(dir.toFile()));
        return dir;
    }

    @Override
    public void close() {
        undo();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already stopping: the hook has run or is running undo() itself.
        }
    }

    private synchronized void undo() {
        undone = true;
        while (!steps.isEmpty()) {
            closeQuietly(steps.pop());
        }
    }

    private static void closeQuietly(Step step) {
        try {
            step.action().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("demo cleanup: interrupted while trying to {}", step.what(), e);
        } catch (Exception e) {
            // One failed step must not keep the others (the broker, the folders) from running.
            LOG.warn("demo cleanup: could not {}", step.what(), e);
        }
    }
}
