package io.kvl.efficientnet.image;

import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.TopK;
import io.kvl.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Top-1 / top-5 accuracy over a folder of labeled photos named {@code <synset>_<name>.JPEG},
 * through the same decode, crop, resize and model path as classification.
 */
public final class ImageNetEvaluation {
    private static final Pattern FILE = Pattern.compile("(n\\d{8})_.*\\.(?i:jpe?g|png)");
    private static final int BATCH = 16;

    private ImageNetEvaluation() {}

    /** How one image fared. */
    public record Outcome(Path file, int label, int rank, float trueProbability, int predicted) {}

    /** All outcomes plus the summary figures. */
    public record Report(List<Outcome> outcomes) {
        public int count() {
            return outcomes.size();
        }

        public double top1() {
            return fraction(1);
        }

        public double top5() {
            return fraction(5);
        }

        private double fraction(int k) {
            return outcomes.isEmpty()
                    ? 0
                    : outcomes.stream().filter(o -> o.rank() < k).count()
                            / (double) outcomes.size();
        }

        /** Images whose true class ranked worst, worst first. */
        public List<Outcome> worst(int n) {
            return outcomes.stream()
                    .sorted(Comparator.comparingDouble(Outcome::trueProbability))
                    .limit(n)
                    .toList();
        }
    }

    /** Labeled files in {@code dir}, sorted by name; other files are ignored. */
    public static Map<Path, Integer> labeledFiles(Path dir, ImageNetClasses classes)
            throws IOException {
        Map<Path, Integer> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches() && classes.indexOf(m.group(1)) >= 0) {
                    files.put(p, classes.indexOf(m.group(1)));
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no <synset>_<name>.JPEG files in " + dir);
        }
        return files;
    }

    public static Report run(EfficientNetPredictor predictor, Path dir) throws IOException {
        ImageNetClasses classes = ImageNetClasses.get();
        ImagePreprocessor pre = new ImagePreprocessor(predictor.resolution());
        List<Map.Entry<Path, Integer>> files =
                new ArrayList<>(labeledFiles(dir, classes).entrySet());
        List<Outcome> outcomes = new ArrayList<>();
        for (int start = 0; start < files.size(); start += BATCH) {
            List<Map.Entry<Path, Integer>> chunk =
                    files.subList(start, Math.min(files.size(), start + BATCH));
            List<RgbImage> batch = new ArrayList<>();
            for (Map.Entry<Path, Integer> e : chunk) {
                batch.add(pre.load(e.getKey()));
            }
            float[][] probs = predictor.predict(batch);
            for (int i = 0; i < chunk.size(); i++) {
                int label = chunk.get(i).getValue();
                float[] p = probs[i];
                int rank = 0;
                for (float v : p) {
                    if (v > p[label]) {
                        rank++;
                    }
                }
                int predicted = TopK.of(p, 1).get(0).index();
                outcomes.add(new Outcome(chunk.get(i).getKey(), label, rank, p[label], predicted));
            }
        }
        return new Report(outcomes);
    }
}
