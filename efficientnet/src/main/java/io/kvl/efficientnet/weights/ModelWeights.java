package io.kvl.efficientnet.weights;

import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named parameter tensors (official names, TensorFlow layouts) plus string metadata describing
 * their origin and the preprocessing they expect.
 */
public final class ModelWeights {
    /** Metadata key: where the weights come from. */
    public static final String SOURCE = "source";

    /** Metadata key: the variant the weights belong to, e.g. {@code lite0}. */
    public static final String VARIANT = "variant";

    private final Map<String, FloatTensor> tensors;
    private final Map<String, String> metadata;

    public ModelWeights(Map<String, FloatTensor> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Map<String, FloatTensor> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Where the weights come from, for model metadata and logs. */
    public String describeSource() {
        String source = metadata.get(SOURCE);
        if (source != null) {
            return source;
        }
        String pkg = metadata.get("source_package");
        return pkg == null ? "unknown" : pkg + " " + metadata.getOrDefault("source_version", "");
    }

    public FloatTensor get(String name) {
        FloatTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("missing weight " + name);
        }
        return t;
    }

    /**
     * Checks that these weights hold exactly the tensors of {@code arch}, with the same shapes.
     *
     * @throws IllegalArgumentException listing every missing, unexpected or mis-shaped tensor
     */
    public void validate(Architecture arch) {
        List<String> problems = new ArrayList<>();
        Map<String, TensorSpec> expected = new LinkedHashMap<>();
        for (TensorSpec spec : arch.parameters()) {
            expected.put(spec.name(), spec);
            FloatTensor t = tensors.get(spec.name());
            if (t == null) {
                problems.add("missing " + spec);
            } else if (!Arrays.equals(t.shape(), spec.shape())) {
                problems.add(
                        spec.name()
                                + " has shape "
                                + Arrays.toString(t.shape())
                                + ", expected "
                                + Arrays.toString(spec.shape()));
            }
        }
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 10);
            throw new IllegalArgumentException(
                    "weights do not fit "
                            + arch.variant().name()
                            + " ("
                            + problems.size()
                            + " problems): "
                            + String.join("; ", problems.subList(0, shown))
                            + (problems.size() > shown ? "; ..." : ""));
        }
    }
}
