package io.kvl.efficientnet.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an exported model is: written next to the SavedModel as {@value #FILE} so that every code
 * path (classify, evaluate, streaming) reads the same name, version and input contract.
 *
 * @param name model name, e.g. {@code efficientnet-lite0-imagenet}
 * @param variant architecture, e.g. {@code efficientnet-lite0}
 * @param version version of the weights
 * @param resolution square input size the graph expects
 * @param classes number of output classes
 * @param normalizationMean RGB mean applied inside the graph
 * @param normalizationStd RGB std applied inside the graph
 * @param padding convolution padding the weights were trained with
 * @param weightsSource where the weights came from
 */
public record ModelInfo(
        @JsonProperty("name") String name,
        @JsonProperty("variant") String variant,
        @JsonProperty("version") String version,
        @JsonProperty("resolution") int resolution,
        @JsonProperty("classes") int classes,
        @JsonProperty("normalization_mean") float[] normalizationMean,
        @JsonProperty("normalization_std") float[] normalizationStd,
        @JsonProperty("padding") String padding,
        @JsonProperty("weights_source") String weightsSource) {

    /** File name inside the SavedModel directory. */
    public static final String FILE = "kvl-model.json";

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static ModelInfo read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    modelDir
                            + " is not a kvl model directory (no "
                            + FILE
                            + "); create one with"
                            + " 'kvl export'");
        }
        return MAPPER.readValue(file.toFile(), ModelInfo.class);
    }

    public void write(Path modelDir) throws IOException {
        MAPPER.writeValue(modelDir.resolve(FILE).toFile(), this);
    }
}
