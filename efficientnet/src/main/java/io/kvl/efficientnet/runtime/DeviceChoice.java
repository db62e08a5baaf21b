package io.kvl.efficientnet.runtime;

import ai.djl.Device;
import java.util.Locale;

/**
 * The user's device setting: {@code auto} (first GPU when the engine sees one, else CPU), {@code
 * cpu}, {@code gpu} or {@code gpu:N}.
 */
public record DeviceChoice(Kind kind, int gpuIndex) {
    /** What was asked for. */
    public enum Kind {
        AUTO,
        CPU,
        GPU
    }

    public static DeviceChoice parse(String text) {
        String s = text == null ? "auto" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return new DeviceChoice(Kind.AUTO, -1);
        }
        if (s.equals("cpu")) {
            return new DeviceChoice(Kind.CPU, -1);
        }
        if (s.equals("gpu")) {
            return new DeviceChoice(Kind.GPU, 0);
        }
        if (s.matches("gpu:\\d{1,3}")) {
            return new DeviceChoice(Kind.GPU, Integer.parseInt(s.substring(4)));
        }
        throw new IllegalArgumentException(
                "invalid device '" + text + "': expected auto, cpu, gpu or gpu:N");
    }

    /**
     * The device to run on, given how many GPUs the engine sees.
     *
     * @throws IllegalStateException when a GPU is asked for explicitly and not visible
     */
    public Device resolve(int visibleGpus) {
        return resolve(visibleGpus, "TensorFlow");
    }

    /**
     * The device to run on, given how many GPUs {@code engine} can use.
     *
     * @throws IllegalStateException when a GPU is asked for explicitly and not visible
     */
    public Device resolve(int visibleGpus, String engine) {
        return switch (kind) {
            case CPU -> Device.cpu();
            case AUTO -> visibleGpus > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (gpuIndex >= visibleGpus) {
                    throw new IllegalStateException(
                            "device gpu:"
                                    + gpuIndex
                                    + " requested but the "
                                    + engine
                                    + " engine sees "
                                    + visibleGpus
                                    + " GPU(s); build with -Pgpu on a CUDA 12 + cuDNN host,"
                                    + " or use device=cpu/auto");
                }
                yield Device.gpu(gpuIndex);
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> "gpu:" + gpuIndex;
        };
    }
}
