package io.kvl.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.registry.RegistryUnavailableException;
import io.kvl.registry.UnreadableRecordException;
import io.kvl.streams.config.LabelerConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

class RegistryAwareDeserializationHandlerTest {

    @Test
    void shouldFailOnAnUnreachableRegistryAndOnlyThen() {
        RegistryAwareDeserializationHandler handler = new RegistryAwareDeserializationHandler();
        handler.configure(Map.of());
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("kvl.labeled-frames", 0, 7L, null, new byte[] {0, 0, 0, 0, 1});
        Exception down =
                new org.apache.kafka.common.errors.SerializationException(
                        "wrapped",
                        new RegistryUnavailableException("registry down", new RuntimeException()));
        assertThat(handler.handleError(null, record, down).result())
                .isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(
                        RegistryAwareDeserializationHandler.registryUnavailable(
                                new UnreadableRecordException("unknown-schema-id", "no id", null)))
                .isFalse();
    }

    @Test
    void shouldBeTheHandlerTheApplicationConfigures() {
        assertThat(
                        new LabelerConfig(Map.of("bootstrap.servers", "b:1"))
                                .streamsProperties()
                                .get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(RegistryAwareDeserializationHandler.class.getName());
    }
}
