package io.kvl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadCpuTest {

    /** A stat(5) line: utime and stime are fields 14 and 15, the name may hold spaces. */
    private static void task(Path tasks, int tid, String comm, long utime, long stime)
            throws Exception {
        Path dir = Files.createDirectories(tasks.resolve(Integer.toString(tid)));
        Files.writeString(
                dir.resolve("stat"),
                tid
                        + " ("
                        + comm
                        + ") S 1 1 1 0 -1 4194368 100 0 0 0 "
                        + utime
                        + " "
                        + stime
                        + " 0 0 20 0 30 0 12345 0 0\n");
    }

    @Test
    void shouldSumCompilerAndCollectorThreadsFromTheirKernelNames(@TempDir Path tasks)
            throws Exception {
        task(tasks, 11, "C2 CompilerThre", 250, 50);
        task(tasks, 12, "C1 CompilerThre", 30, 0);
        task(tasks, 13, "GC Thread#0", 7, 3);
        task(tasks, 14, "G1 Conc#0", 5, 0);
        task(tasks, 15, "kvl-inference-0", 9000, 10); // a Java thread: counted from the JVM
        task(tasks, 16, "VM Thread", 4, 0);

        Map<String, Long> nanos = ThreadCpu.jvmInternalNanos(tasks);

        // Ticks of 10 ms: (250 + 50 + 30) and (7 + 3 + 5).
        assertThat(nanos).containsEntry(ThreadCpu.JIT, 3_300_000_000L);
        assertThat(nanos).containsEntry(ThreadCpu.GC, 150_000_000L);
        assertThat(nanos).hasSize(2);
    }

    @Test
    void shouldLeaveOutWhatCannotBeRead(@TempDir Path tasks) throws Exception {
        assertThat(ThreadCpu.jvmInternalNanos(tasks.resolve("absent"))).isEmpty();
        task(tasks, 11, "C2 CompilerThre", 1, 1);
        Files.createDirectories(tasks.resolve("12")); // a thread that ended between list and read
        assertThat(ThreadCpu.jvmInternalNanos(tasks)).containsEntry(ThreadCpu.JIT, 20_000_000L);
    }

    @Test
    void shouldGroupJavaThreadsByRole() {
        assertThat(ThreadCpu.group("kvl-inference-1")).isEqualTo("inference");
        assertThat(ThreadCpu.group("kvl-bench-1a-StreamThread-2")).isEqualTo("stream threads");
        assertThat(ThreadCpu.group("data-plane-kafka-request-handler-0")).isEqualTo("broker");
        assertThat(ThreadCpu.group("kafka-producer-network-thread | p")).isEqualTo("clients");
        assertThat(ThreadCpu.internalGroup("kvl-inference-1")).isNull();
        assertThat(ThreadCpu.internalGroup("VM Thread")).isNull();
    }

    @Test
    void shouldNameWhatNoGroupAccountsForAsRest() {
        Map<String, Long> before =
                Map.of("inference", 0L, ThreadCpu.JIT, 0L, ThreadCpu.PROCESS, 0L);
        Map<String, Long> after =
                Map.of(
                        "inference",
                        6_000_000_000L,
                        ThreadCpu.JIT,
                        1_000_000_000L,
                        ThreadCpu.PROCESS,
                        7_500_000_000L);

        Map<String, Double> s = ThreadCpu.seconds(before, after);

        assertThat(s).containsEntry("inference", 6.0).containsEntry(ThreadCpu.JIT, 1.0);
        assertThat(s).containsEntry(ThreadCpu.REST, 0.5).containsEntry(ThreadCpu.PROCESS, 7.5);
    }

    @Test
    void shouldSeeThisJvmsCompilerThreadsOnLinux() {
        // The project runs on Linux (its natives are linux-x86_64 only), where /proc exists.
        long sum = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sum += Integer.toString(i).hashCode(); // enough work to get something compiled
        }
        Map<String, Long> now = ThreadCpu.snapshotNanos();
        assertThat(sum).isNotZero();
        assertThat(now).containsKeys(ThreadCpu.JIT, ThreadCpu.GC, ThreadCpu.PROCESS);
        assertThat(now.get(ThreadCpu.JIT)).isPositive();
        long javaThreads =
                now.entrySet().stream()
                        .filter(e -> !e.getKey().equals(ThreadCpu.PROCESS))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        // /proc ticks are 10 ms: allow their rounding per thread.
        assertThat(now.get(ThreadCpu.PROCESS)).isGreaterThan(javaThreads - 500_000_000L);
    }
}
