package io.kvl.efficientnet.quantize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How wide int8 weights may be on this CPU. x86 CPUs without VNNI multiply uint8 activations by
 * int8 weights with {@code vpmaddubsw}, whose pairwise 16-bit sums saturate when both weights use
 * the full range; ONNX Runtime's quantization guide recommends 7-bit weights ("reduce range")
 * there. With VNNI (or on ARM) the full +-127 is exact.
 */
final class CpuInt8 {
    private CpuInt8() {}

    /** Largest weight magnitude and why. */
    record Levels(int levels, String why) {}

    static Levels weightLevels() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!arch.contains("amd64") && !arch.contains("x86_64")) {
            return new Levels(127, arch + " has no 16-bit saturation in int8 dot products");
        }
        String flags = cpuFlags();
        return levelsFor(flags);
    }

    static Levels levelsFor(String flags) {
        if (flags == null) {
            return new Levels(63, "CPU flags unknown: 7-bit weights avoid vpmaddubsw saturation");
        }
        for (String vnni : new String[] {"avx512_vnni", "avx_vnni", "amx_int8"}) {
            if ((" " + flags + " ").contains(" " + vnni + " ")) {
                return new Levels(127, "CPU has " + vnni);
            }
        }
        return new Levels(63, "no VNNI: 7-bit weights avoid vpmaddubsw saturation");
    }

    private static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
