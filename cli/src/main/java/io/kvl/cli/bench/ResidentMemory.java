package io.kvl.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process (VmRSS, Linux), sampled in the background for its peak. */
final class ResidentMemory implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakMb;

    ResidentMemory() {
        thread =
                new Thread(
                        () -> {
                            while (running) {
                                peakMb = Math.max(peakMb, nowMb());
                                try {
                                    Thread.sleep(250);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "bench-rss");
        thread.setDaemon(true);
        thread.start();
    }

    long peakMb() {
        return Math.max(peakMb, nowMb());
    }

    static long nowMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
