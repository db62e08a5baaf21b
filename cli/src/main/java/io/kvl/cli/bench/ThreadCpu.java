package io.kvl.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds of this process, grouped by role, to say where the time of a run went: inference
 * threads (ONNX Runtime runs single-threaded on them with intra-op threads 1), stream threads
 * (decode, scaling, Avro, aggregation), Kafka clients, the in-process broker and other Java
 * threads, read from the JVM; the JIT compiler and garbage collector threads, which the JVM hides
 * from its thread list, read from {@code /proc/self/task} (Linux only; absent elsewhere); and the
 * whole process. {@link #seconds} reports what no group accounts for as {@value #REST}: threads
 * that ended during the run, the VM thread, native threads.
 */
final class ThreadCpu {
    static final String JIT = "jit";
    static final String GC = "gc";
    static final String PROCESS = "process";
    static final String REST = "rest";

    /** Clock ticks per second of {@code /proc} CPU times: USER_HZ, 100 on every Linux ABI here. */
    private static final long USER_HZ = 100;

    private ThreadCpu() {}

    static Map<String, Long> snapshotNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new LinkedHashMap<>();
        for (String g :
                new String[] {"inference", "stream threads", "clients", "broker", "other"}) {
            groups.put(g, 0L);
        }
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info == null || cpu < 0) {
                continue;
            }
            groups.merge(group(info.getThreadName()), cpu, Long::sum);
        }
        groups.putAll(jvmInternalNanos(Path.of("/proc/self/task")));
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long process = os.getProcessCpuTime();
            if (process >= 0) {
                groups.put(PROCESS, process);
            }
        }
        return groups;
    }

    static String group(String thread) {
        if (thread.startsWith("kvl-inference")) {
            return "inference";
        }
        if (thread.contains("StreamThread-") && !thread.contains("network-thread")) {
            return "stream threads";
        }
        if (thread.startsWith("kafka-producer-network-thread")
                || thread.startsWith("kafka-consumer")
                || thread.startsWith("kafka-admin-client-thread")
                || thread.startsWith("bench-")) {
            return "clients";
        }
        if (thread.startsWith("data-plane-")
                || thread.startsWith("broker-")
                || thread.startsWith("controller-")
                || thread.startsWith("kafka-")
                || thread.contains("Txn")
                || thread.startsWith("Persister")
                || thread.startsWith("LogCleaner")
                || thread.startsWith("ReplicaFetcher")
                || thread.startsWith("quorum")
                || thread.startsWith("raft")) {
            return "broker";
        }
        return "other";
    }

    /**
     * The group of a HotSpot-internal thread by its kernel name ({@code comm}, cut to 15
     * characters), or null for threads the JVM lists itself (Java threads also carry their name
     * there, and are counted from the JVM).
     */
    static String internalGroup(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("GC Thread")
                || comm.startsWith("G1 ")
                || comm.startsWith("ZGC")
                || comm.startsWith("Shenandoah")) {
            return GC;
        }
        return null;
    }

    /** CPU nanoseconds of the JIT and GC threads under {@code tasks}; empty where unreadable. */
    static Map<String, Long> jvmInternalNanos(Path tasks) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        out.put(JIT, 0L);
        out.put(GC, 0L);
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String group = internalGroup(stat.substring(open + 1, close));
                if (group == null) {
                    continue;
                }
                // Fields after the name: state is field 3 of stat(5), utime 14 and stime 15.
                String[] f = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                out.merge(group, ticks * (1_000_000_000L / USER_HZ), Long::sum);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /**
     * CPU seconds per group spent between two snapshots, with {@value #PROCESS} (the whole process)
     * and {@value #REST} (what no other group accounts for) when the process total is known.
     */
    static Map<String, Double> seconds(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        long grouped = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            out.put(e.getKey(), round(delta));
            if (!e.getKey().equals(PROCESS)) {
                grouped += delta;
            }
        }
        if (after.containsKey(PROCESS) && before.containsKey(PROCESS)) {
            long process = after.get(PROCESS) - before.get(PROCESS);
            out.remove(PROCESS);
            out.put(REST, round(Math.max(0, process - grouped)));
            out.put(PROCESS, round(process));
        }
        return out;
    }

    private static double round(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
