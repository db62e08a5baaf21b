package io.kvl.cli;

import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.MbConvBlock;
import io.kvl.efficientnet.spec.ModelStats;
import io.kvl.efficientnet.spec.ModelVariant;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvl describe}: the scaled architecture, its parameters and multiply-adds. */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description =
                "Print an EfficientNet's resolution, multipliers, blocks, parameters and"
                        + " multiply-adds.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin VariantOptions variantOptions;

    @Option(names = "--json", description = "Print one JSON object on the last line.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        ModelVariant variant = variantOptions.resolve();
        Architecture arch = Architecture.of(variant);
        ModelStats stats = ModelStats.of(arch);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s%n", variant.name());
        out.printf(
                Locale.ROOT,
                "resolution %d, width x%.4f, depth x%.4f, dropout %.2f, activation %s%n",
                variant.resolution(),
                variant.widthMultiplier(),
                variant.depthMultiplier(),
                variant.dropout(),
                arch.activation().name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "stem conv3x3/2 %d%n", arch.stemChannels());
        out.printf(
                Locale.ROOT,
                "%-9s %6s %6s %6s %3s %3s %4s %5s %4s%n",
                "block",
                "in",
                "expand",
                "out",
                "k",
                "s",
                "se",
                "size",
                "skip");
        for (MbConvBlock b : arch.blocks()) {
            out.printf(
                    Locale.ROOT,
                    "%-9s %6d %6d %6d %3d %3d %4d %5d %4s%n",
                    b.scope(),
                    b.inputChannels(),
                    b.expandedChannels(),
                    b.outputChannels(),
                    b.kernel(),
                    b.stride(),
                    b.seChannels(),
                    b.outputSize(),
                    b.hasSkip() ? "yes" : "no");
        }
        out.printf(
                Locale.ROOT,
                "head conv1x1 %d, pool, dense %d%n",
                arch.headChannels(),
                arch.numClasses());
        out.printf(
                Locale.ROOT,
                "parameters %,d total, %,d trainable; %,d multiply-adds per image (%.3f B)%n",
                stats.totalParameters(),
                stats.trainableParameters(),
                stats.multiplyAdds(),
                stats.multiplyAdds() / 1e9);
        if (json) {
            out.println(Json.line(summary(variant, arch, stats)));
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> summary(
            ModelVariant variant, Architecture arch, ModelStats stats) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant.name());
        m.put("resolution", variant.resolution());
        m.put("width", variant.widthMultiplier());
        m.put("depth", variant.depthMultiplier());
        m.put("dropout", variant.dropout());
        m.put("activation", arch.activation().name().toLowerCase(Locale.ROOT));
        m.put("stem", arch.stemChannels());
        m.put("head", arch.headChannels());
        m.put("blocks", arch.blocks().size());
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (MbConvBlock b : arch.blocks()) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("in", b.inputChannels());
            bm.put("expand", b.expandedChannels());
            bm.put("out", b.outputChannels());
            bm.put("kernel", b.kernel());
            bm.put("stride", b.stride());
            bm.put("se", b.seChannels());
            blocks.add(bm);
        }
        m.put("layers", blocks);
        m.put("params", stats.totalParameters());
        m.put("trainable_params", stats.trainableParameters());
        m.put("multiply_adds", stats.multiplyAdds());
        return m;
    }
}
