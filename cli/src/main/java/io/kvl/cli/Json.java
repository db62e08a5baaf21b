package io.kvl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

/** The one-line JSON summaries that {@code --json} prints last. */
final class Json {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
