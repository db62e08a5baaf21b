package io.kvl.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCleanupTest {

    @Test
    void shouldUndoNewestFirstAndOnlyOnce() {
        List<String> undone = new ArrayList<>();
        DemoCleanup cleanup = DemoCleanup.withShutdownHook();
        cleanup.add("stop the broker", () -> undone.add("broker"));
        cleanup.add("stop the app", () -> undone.add("app"));
        cleanup.add("stop the viewer", () -> undone.add("viewer"));

        cleanup.close();
        cleanup.close();

        assertThat(undone).containsExactly("viewer", "app", "broker");
    }

    @Test
    void shouldDeleteTheStateFolderWithEverythingInIt() throws Exception {
        DemoCleanup cleanup = DemoCleanup.withShutdownHook();
        Path state = cleanup.stateDirectory();
        Files.createDirectories(state.resolve("kvl-demo-1234/0_0/rocksdb"));
        Files.writeString(state.resolve("kvl-demo-1234/0_0/rocksdb/LOCK"), "");
        assertThat(state.getFileName().toString())
                .startsWith("kvl-demo-state-" + ProcessHandle.current().pid() + "-");
        assertThat(state.getParent()).isEqualTo(DemoCleanup.stateRoot());

        cleanup.close();

        assertThat(state).doesNotExist();
    }

    @Test
    void shouldGoOnWithTheOtherStepsWhenOneFails() throws Exception {
        DemoCleanup cleanup = DemoCleanup.withShutdownHook();
        Path state = cleanup.stateDirectory();
        List<String> undone = new ArrayList<>();
        cleanup.add(
                "stop the app",
                () -> {
                    throw new IllegalStateException("stuck");
                });
        cleanup.add("stop the viewer", () -> undone.add("viewer"));

        cleanup.close();

        assertThat(undone).containsExactly("viewer");
        assertThat(state).doesNotExist();
    }

    @Test
    void shouldCloseAtOnceWhatIsAddedAfterTheCleanupRan() {
        List<String> undone = new ArrayList<>();
        DemoCleanup cleanup = DemoCleanup.withShutdownHook();
        cleanup.close();

        cleanup.add("stop the late one", () -> undone.add("late"));

        assertThat(undone).containsExactly("late");
    }
}
