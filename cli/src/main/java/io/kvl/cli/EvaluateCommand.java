package io.kvl.cli;

import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.efficientnet.image.ImageNetEvaluation;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvl evaluate}: top-1 / top-5 accuracy on labeled ImageNet photos. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Measure top-1 and top-5 accuracy on files named <synset>_<name>.JPEG.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--images",
            required = true,
            paramLabel = "DIR",
            description = "Labeled photos.")
    Path images;

    @Option(names = "--worst", defaultValue = "10", description = "Worst classes to list.")
    int worst;

    @Option(names = "--json", description = "Print {\"n\":..,\"top1\":..,\"top5\":..} last.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images: no such directory: " + images);
        }
        ImageNetClasses classes = ImageNetClasses.get();
        try (EfficientNetModel model = modelOptions.load();
                EfficientNetPredictor predictor = model.newPredictor()) {
            long start = System.nanoTime();
            ImageNetEvaluation.Report r = ImageNetEvaluation.run(predictor, images);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "%s on %d images: top-1 %.1f%%, top-5 %.1f%% (%.1f s)%n",
                    model.info().name(),
                    r.count(),
                    100 * r.top1(),
                    100 * r.top5(),
                    seconds);
            out.printf("worst classes (probability of the true class, rank, predicted):%n");
            for (ImageNetEvaluation.Outcome o : r.worst(worst)) {
                out.printf(
                        Locale.ROOT,
                        "  %-28s p=%.4f rank %3d  predicted %s%n",
                        classes.name(o.label()),
                        o.trueProbability(),
                        o.rank() + 1,
                        classes.name(o.predicted()));
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("n", r.count());
                m.put("top1", r.top1());
                m.put("top5", r.top5());
                m.put("model", model.info().name());
                out.println(Json.line(m));
            }
        }
        out.flush();
        return 0;
    }
}
