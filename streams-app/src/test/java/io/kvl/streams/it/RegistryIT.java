package io.kvl.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.registry.EventSerdes;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SchemaRegistrar;
import io.kvl.registry.SchemaRegistrationException;
import io.kvl.registry.SerdeFormat;
import io.kvl.registry.SubjectNaming;
import io.kvl.schemas.Alert;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.ModelRef;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.simulator.ClipPublisher;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.deadletter.DeadLetterRouter;
import io.kvl.testing.ApicurioRegistry;
import io.kvl.video.VideoChunks;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labeler in {@code serde.format=confluent} against a real Apicurio Registry 3.0.9 process and
 * the in-process broker: Confluent framing on every output, ids the Confluent-compatible API
 * resolves, both input formats on one chunk topic, unknown schema ids dead-lettered, an
 * incompatible schema failing the start, and a compatible v2 of LabeledFrame.
 */
class RegistryIT {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryIT.class);
    private static final String CHUNKS = "kvl.video-chunks";
    private static final String LABELS = "kvl.labeled-frames";
    private static final String DLQ = "kvl.dead-letters";
    private static final String FRAMES = "kvl.frames";
    private static final String COUNTS = "kvl.label-counts";
    private static final String ALERTS = "kvl.alerts";

    /** Chunks per camera: enough for several labeled frames, short enough for 2 cores. */
    private static final int CHUNKS_PER_CAMERA = 2;

    private static final String RULES =
            String.join(
                    "\n",
                    "groups:",
                    "  anything: [water bottle, beer bottle, wine bottle, pop bottle, pill bottle,"
                            + " water jug, whiskey jug, cab, sports car, convertible, minivan,"
                            + " pickup, jeep, limousine, police van, moving van, passenger car,"
                            + " beach wagon, racer, trailer truck, tow truck, school bus]",
                    "rules:",
                    "  - id: seen",
                    "    labels: [anything]",
                    "    min_score: 0.01",
                    "    min_frames: 1",
                    "    within_ms: 60000",
                    "    cooldown_ms: 600000",
                    "    severity: INFO",
                    "");

    private static EmbeddedKafka kafka;
    private static ApicurioRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        // The registry boots (~10 s) while the broker starts.
        registry = ApicurioRegistry.start(Path.of("target", "registry-it"));
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, Map.of("max.message.bytes", Integer.toString(16 << 20)), CHUNKS);
        kafka.createTopics(2, LABELS);
        kafka.createTopics(1, DLQ, FRAMES, COUNTS, ALERTS, "kvl.incompatible-labels");
        registry.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static Map<String, Object> appConfig(Path state, Path rules) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("application.id", "kvl-registry-it");
        p.put("state.dir", state.toString());
        p.put("num.stream.threads", "2");
        p.put("commit.interval.ms", "200");
        p.put(LabelerConfig.BATCH_SIZE_CONFIG, "2");
        p.put(LabelerConfig.SAMPLING_FPS_CONFIG, Double.toString(Cameras.FPS));
        p.put(LabelerConfig.HTTP_PORT_CONFIG, "-1");
        p.put(LabelerConfig.COUNTS_EMIT_CONFIG, "updates");
        p.put(LabelerConfig.ALERT_RULES_FILE_CONFIG, rules.toString());
        p.put(LabelerConfig.SERDE_FORMAT_CONFIG, "confluent");
        p.put(LabelerConfig.REGISTRY_URL_CONFIG, registry.baseUrl());
        return p;
    }

    @Test
    void shouldWriteConfluentFramingReadBothFormatsAndDeadLetterUnknownIds(@TempDir Path dir)
            throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        Cameras cameras = new Cameras();
        Path bottle = Cameras.clip("bottle-detection.mp4");
        Path car = Cameras.clip("car-detection.mp4");
        cameras.chunks.put(
                "single-object-cam",
                first(VideoChunks.ofClip(bottle, "single-object-cam", Cameras.CLIP_START_MILLIS)));
        cameras.chunks.put(
                "confluent-cam",
                first(VideoChunks.ofClip(car, "confluent-cam", Cameras.CLIP_START_MILLIS)));
        Map<String, List<Long>> expected = cameras.expectedFrames();
        int total = Cameras.total(expected);
        long start = System.nanoTime();
        try (LabelerApp app =
                        LabelerApp.start(
                                new LabelerConfig(appConfig(dir.resolve("state"), rules)));
                KafkaProducer<byte[], byte[]> producer = producer();
                AvroKafkaSerializer<VideoChunk> confluentChunks = chunkSerializer()) {
            new ClipPublisher(producer, CHUNKS)
                    .publish(cameras.chunks.get("single-object-cam"), false);
            new ClipPublisher(producer, CHUNKS, confluentChunks)
                    .publish(cameras.chunks.get("confluent-cam"), false);
            // A Confluent-framed record whose schema id the registry never issued.
            byte[] unknownId =
                    ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
            producer.send(
                            new ProducerRecord<>(
                                    CHUNKS,
                                    "confluent-cam".getBytes(StandardCharsets.UTF_8),
                                    unknownId))
                    .get();

            List<ConsumerRecord<byte[], byte[]>> labels =
                    read(LABELS, total, Duration.ofMinutes(3));
            EventSerdes reader =
                    EventSerdes.create(
                            SerdeFormat.CONFLUENT, RegistryOptions.of(registry.baseUrl()));
            List<LabeledFrame> frames = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : labels) {
                frames.add(checkFraming(r, LabeledFrame.class, reader));
            }
            assertThat(Cameras.byCamera(frames)).isEqualTo(expected);
            LOG.info(
                    "Labeled {} frames of both formats in {} s",
                    frames.size(),
                    (System.nanoTime() - start) / 1_000_000_000L);

            for (ConsumerRecord<byte[], byte[]> r : read(COUNTS, 1, Duration.ofSeconds(60))) {
                checkFraming(r, LabelCount.class, reader);
            }
            for (ConsumerRecord<byte[], byte[]> r : read(ALERTS, 1, Duration.ofSeconds(60))) {
                checkFraming(r, Alert.class, reader);
            }

            ConsumerRecord<byte[], byte[]> dead =
                    deadLetter("unknown-schema-id", Duration.ofSeconds(60));
            assertThat(dead.value()[0]).as("dead letters are Confluent-framed too").isZero();
            assertThat(header(dead, DeadLetterRouter.ERROR_HEADER)).contains("987654");
            assertThat(
                            registry.ccompatGet("/config/" + LABELS + "-value")
                                    .get("compatibilityLevel")
                                    .asText())
                    .isEqualTo("BACKWARD");
            reader.close();
        }
    }

    /**
     * The three tasks of the compose file's camera source registered the chunk schema at once: all
     * saw a new subject, all set its rule, and two failed on HTTP 409 until this was fixed.
     */
    @Test
    void shouldRegisterANewSubjectFromManyRegistrarsAtOnce() throws Exception {
        String topic = "kvl.racing-chunks";
        List<Callable<Map<String, Long>>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racers.add(
                    () ->
                            new SchemaRegistrar(RegistryOptions.of(registry.baseUrl()))
                                    .registerAll(Map.of(topic, VideoChunk.getClassSchema())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            List<Long> ids = new ArrayList<>();
            for (Future<Map<String, Long>> f : pool.invokeAll(racers)) {
                ids.add(f.get().get(topic + "-value"));
            }
            assertThat(ids).hasSize(6).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(
                        registry.ccompatGet("/config/" + topic + "-value")
                                .get("compatibilityLevel")
                                .asText())
                .isEqualTo("BACKWARD");
    }

    @Test
    void shouldFailTheStartNamingTheSubjectWhenASchemaIsIncompatible(@TempDir Path dir)
            throws Exception {
        String subject = "kvl.incompatible-labels-value";
        // An earlier LabeledFrame without the fields today's requires: data written with it cannot
        // be read with today's schema, so BACKWARD rejects today's.
        String old =
                "{\"type\":\"record\",\"name\":\"LabeledFrame\",\"namespace\":\"io.kvl.schemas\","
                        + "\"fields\":[{\"name\":\"cameraId\",\"type\":\"string\"}]}";
        assertThat(registry.registerViaCcompat(subject, old).statusCode()).isEqualTo(200);
        registry.setCompatibility(subject, "BACKWARD");
        Map<String, Object> config =
                appConfig(dir.resolve("state"), Files.writeString(dir.resolve("r.yaml"), RULES));
        config.put(LabelerConfig.LABELS_TOPIC_CONFIG, "kvl.incompatible-labels");
        config.put("application.id", "kvl-registry-it-incompatible");
        assertThatThrownBy(
                        () ->
                                LabelerApp.start(
                                        new LabelerConfig(config),
                                        (c, m) -> {
                                            throw new AssertionError("the model must not load");
                                        }))
                .isInstanceOf(SchemaRegistrationException.class)
                .hasMessageContaining(subject)
                .hasMessageContaining("409")
                .satisfies(e -> LOG.info("Start failed as expected: {}", e.getMessage()));
    }

    @Test
    void shouldAcceptAnOptionalFieldAndOldReadersKeepReading() throws Exception {
        String subject = "kvl.evolution-labels-value";
        Schema v1 = LabeledFrame.getClassSchema();
        assertThat(registry.registerViaCcompat(subject, v1.toString()).statusCode()).isEqualTo(200);
        registry.setCompatibility(subject, "BACKWARD");
        Schema v2 = withOptionalField(v1, "zone");
        var answer = registry.registerViaCcompat(subject, v2.toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        int v2Id = Integer.parseInt(answer.body().replaceAll("\\D", ""));

        // A v2 producer: framing by hand only to control the writer schema exactly.
        LabeledFrame sample =
                LabeledFrame.newBuilder()
                        .setCameraId("cam-7")
                        .setCaptureTimestamp(Instant.ofEpochMilli(1_767_225_600_123L))
                        .setFrameIndex(2_101L)
                        .setSourceChunkSequence(42L)
                        .setLabels(List.of(new Label(281, "tabby cat", 0.87f)))
                        .setModel(new ModelRef("efficientnet", "lite0", "2024-01"))
                        .setBatchSize(8)
                        .setInferenceLatencyMs(12.5)
                        .setEndToEndLatencyMs(340.25)
                        .setKeyframe(true)
                        .build();
        GenericRecord written = toGeneric(sample, v2);
        written.put("zone", "dock-3");
        byte[] bytes = frame(v2Id, written, v2);
        try (EventSerdes old =
                EventSerdes.create(SerdeFormat.CONFLUENT, RegistryOptions.of(registry.baseUrl()))) {
            LabeledFrame read =
                    old.serde(LabeledFrame.class).deserializer().deserialize(subject, bytes);
            assertThat(read).isEqualTo(sample);
        }
    }

    @Test
    void shouldNameSubjectsByRecordAndOnlyCheckWhenAutoRegistrationIsOff() throws Exception {
        RegistryOptions byRecord =
                new RegistryOptions(
                        registry.baseUrl(), null, null, SubjectNaming.RECORD, false, Map.of());
        Map<String, Schema> counts = Map.of("kvl.any-topic", LabelCount.getClassSchema());
        // Off: nothing registered yet, so the check fails naming the subject.
        assertThatThrownBy(() -> new SchemaRegistrar(byRecord).registerAll(counts))
                .isInstanceOf(SchemaRegistrationException.class)
                .hasMessageContaining("'io.kvl.schemas.LabelCount'")
                .hasMessageContaining("auto.register=false");
        RegistryOptions registering =
                new RegistryOptions(
                        registry.baseUrl(), null, null, SubjectNaming.RECORD, true, Map.of());
        long id =
                new SchemaRegistrar(registering)
                        .registerAll(counts)
                        .get("io.kvl.schemas.LabelCount");
        assertThat(new SchemaRegistrar(byRecord).registerAll(counts))
                .containsEntry("io.kvl.schemas.LabelCount", id);
        assertThat(
                        registry.ccompatGet("/subjects/io.kvl.schemas.LabelCount/versions/latest")
                                .get("id")
                                .asLong())
                .isEqualTo(id);
        // A serializer with record naming writes that id, whatever the topic.
        try (EventSerdes serdes = EventSerdes.create(SerdeFormat.CONFLUENT, byRecord)) {
            LabelCount count =
                    LabelCount.newBuilder()
                            .setCameraId("cam-1")
                            .setLabel("goldfish")
                            .setClassIndex(1)
                            .setWindowStart(Instant.ofEpochMilli(0))
                            .setWindowEnd(Instant.ofEpochMilli(60_000))
                            .setFrames(3)
                            .setMaxScore(0.9f)
                            .setMeanScore(0.5f)
                            .setClosed(true)
                            .build();
            byte[] bytes = serdes.serde(LabelCount.class).serializer().serialize("t-1", count);
            assertThat(bytes[0]).isZero();
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo((int) id);
            assertThat(serdes.serde(LabelCount.class).deserializer().deserialize("t-2", bytes))
                    .isEqualTo(count);
        }
    }

    private static <T> List<T> first(List<T> all) {
        return new ArrayList<>(all.subList(0, Math.min(CHUNKS_PER_CAMERA, all.size())));
    }

    /**
     * The record starts with 0 and an id the ccompat API resolves to a schema that decodes it to
     * the values the single-object path carries.
     */
    private static <T extends SpecificRecordBase> T checkFraming(
            ConsumerRecord<byte[], byte[]> r, Class<T> type, EventSerdes reader) throws Exception {
        byte[] v = r.value();
        assertThat(v[0]).as("magic byte of %s", r.topic()).isZero();
        int id = ByteBuffer.wrap(v, 1, 4).getInt();
        String schemaText = registry.schemaById(id);
        assertThat(schemaText).as("schema id %d of %s", id, r.topic()).isNotNull();
        Schema writer = new Schema.Parser().parse(schemaText);
        GenericRecord plain =
                new GenericDatumReader<GenericRecord>(writer)
                        .read(null, DecoderFactory.get().binaryDecoder(v, 5, v.length - 5, null));
        T value = reader.serde(type).deserializer().deserialize(r.topic(), v);
        byte[] singleObject =
                new io.kvl.schemas.serde.AvroSerde<>(type).serialize(r.topic(), value);
        Schema current = (Schema) type.getMethod("getClassSchema").invoke(null);
        GenericRecord viaSingleObject =
                new GenericDatumReader<GenericRecord>(current)
                        .read(
                                null,
                                DecoderFactory.get()
                                        .binaryDecoder(
                                                singleObject, 10, singleObject.length - 10, null));
        assertThat(GenericData.get().toString(plain))
                .isEqualTo(GenericData.get().toString(viaSingleObject));
        return value;
    }

    private static Schema withOptionalField(Schema v1, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(
                new Schema.Field(
                        name,
                        Schema.createUnion(
                                Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                        "Added in v2.",
                        Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    private static GenericRecord toGeneric(LabeledFrame f, Schema v2) throws Exception {
        byte[] so = KvlSerdes.labeledFrame().serialize("t", f);
        GenericRecord g1 =
                new GenericDatumReader<GenericRecord>(LabeledFrame.getClassSchema(), v2)
                        .read(
                                null,
                                DecoderFactory.get().binaryDecoder(so, 10, so.length - 10, null));
        return g1;
    }

    private static byte[] frame(int id, GenericRecord record, Schema schema) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A camera producer of the Confluent kind: Apicurio's serializer, registering its schema. */
    private static AvroKafkaSerializer<VideoChunk> chunkSerializer() {
        Map<String, Object> c = new HashMap<>(RegistryOptions.of(registry.baseUrl()).serdeConfig());
        c.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, true);
        AvroKafkaSerializer<VideoChunk> s = new AvroKafkaSerializer<>();
        s.configure(c, false);
        return s;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(
            String topic, int count, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && out.size() < count) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        assertThat(out)
                .as("records on %s within %s", topic, timeout)
                .hasSizeGreaterThanOrEqualTo(count);
        return out;
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(String reason, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : read(DLQ, 1, Duration.ofSeconds(10))) {
                if (reason.equals(header(r, DeadLetterRouter.REASON_HEADER))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no dead letter with reason " + reason + " within " + timeout);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
