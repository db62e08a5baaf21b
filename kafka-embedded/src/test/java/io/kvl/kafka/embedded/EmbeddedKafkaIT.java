package io.kvl.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One broker for the whole class; the lifecycle tests start their own. */
class EmbeddedKafkaIT {

    private static final int MIB = 1024 * 1024;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldDeliverOnlyCommittedTransactionsToReadCommittedConsumer() {
        String topic = "transactions";
        kafka.createTopics(3, topic);
        List<String> committed = values("committed", 12);
        List<String> aborted = values("aborted", 7);
        List<String> committedLater = values("committed-later", 5);

        try (KafkaProducer<String, String> producer = transactionalProducer("tx-test")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, committed);
            producer.commitTransaction();
            sendInTransaction(producer, topic, aborted);
            producer.flush(); // the aborted records really reach the log before the abort marker
            producer.abortTransaction();
            sendInTransaction(producer, topic, committedLater);
            producer.commitTransaction();
        }

        List<String> expected = new ArrayList<>(committed);
        expected.addAll(committedLater);
        assertThat(readAll(topic, 3, StringDeserializer::new))
                .map(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldRoundTripFiveMegabyteRecord() {
        String topic = "large-records";
        kafka.createTopics(1, Map.of("max.message.bytes", Integer.toString(16 * MIB)), topic);
        byte[] chunk = new byte[5 * MIB];
        new Random(42).nextBytes(chunk);

        Properties config = clientConfig();
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * MIB);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic, "chunk-0".getBytes(StandardCharsets.UTF_8), chunk))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("Sending the 5 MiB record failed", e);
        }

        List<ConsumerRecord<byte[], byte[]>> records =
                readAll(topic, 1, ByteArrayDeserializer::new);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).isEqualTo(chunk);
    }

    @Test
    void shouldRejectCreatingAnExistingTopic() {
        kafka.createTopics(1, "existing");

        assertThatThrownBy(() -> kafka.createTopics(1, "existing"))
                .isInstanceOf(TopicExistsException.class);
    }

    private static List<String> values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static void sendInTransaction(
            KafkaProducer<String, String> producer, String topic, List<String> values) {
        producer.beginTransaction();
        // Keys spread the records over all partitions.
        values.forEach(value -> producer.send(new ProducerRecord<>(topic, value, value)));
    }

    private static KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        Properties config = clientConfig();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * Reads every partition from the beginning up to its end offset, which for a read_committed
     * consumer is the last stable offset: no waiting for records that might still come.
     */
    private static <V> List<ConsumerRecord<V, V>> readAll(
            String topic, int partitions, Supplier<Deserializer<V>> deserializer) {
        Properties config = clientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<TopicPartition> assignment =
                IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        List<ConsumerRecord<V, V>> records = new ArrayList<>();
        try (KafkaConsumer<V, V> consumer =
                new KafkaConsumer<>(config, deserializer.get(), deserializer.get())) {
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            Map<TopicPartition, Long> end = consumer.endOffsets(assignment, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (assignment.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read before the deadline").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Properties clientConfig() {
        Properties config = new Properties();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }
}
