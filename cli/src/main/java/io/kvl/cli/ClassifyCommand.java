package io.kvl.cli;

import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.TopK;
import io.kvl.image.RgbImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kvl classify}: top-5 ImageNet labels of image files. */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = "Print the top-5 ImageNet labels of JPEG or PNG images.")
final class ClassifyCommand implements Callable<Integer> {
    private static final int BATCH = 16;

    @Mixin ModelOptions modelOptions;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files.")
    List<Path> images;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // A mistyped path should fail before the model loads, not after seconds of work.
        for (Path p : images) {
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString());
            }
        }
        ImageNetClasses classes = ImageNetClasses.get();
        try (EfficientNetModel model = modelOptions.load();
                EfficientNetPredictor predictor = model.newPredictor()) {
            ImagePreprocessor pre = new ImagePreprocessor(model.info().resolution());
            for (int start = 0; start < images.size(); start += BATCH) {
                List<Path> chunk = images.subList(start, Math.min(images.size(), start + BATCH));
                List<RgbImage> batch = new ArrayList<>();
                for (Path p : chunk) {
                    batch.add(pre.load(p));
                }
                float[][] probs = predictor.predict(batch);
                for (int i = 0; i < chunk.size(); i++) {
                    out.printf("%s%n", chunk.get(i));
                    for (TopK.Entry e : TopK.of(probs[i], 5)) {
                        out.printf(
                                Locale.ROOT,
                                "  %6.2f%%  %4d  %s%n",
                                100 * e.probability(),
                                e.index(),
                                e.index() < classes.size() ? classes.name(e.index()) : "?");
                    }
                }
            }
        }
        out.flush();
        return 0;
    }
}
