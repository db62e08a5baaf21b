package io.kvl.cli.demo;

import io.kvl.streams.config.LabelerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the application's topics when they do not exist yet. */
public final class DemoTopics {
    private DemoTopics() {}

    public static void create(String bootstrap, LabelerConfig c, int partitions)
            throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(
                new NewTopic(c.chunksTopic(), partitions, (short) -1)
                        .configs(
                                Map.of(
                                        "max.message.bytes",
                                        Integer.toString(16 << 20),
                                        // Retention by arrival: capture times of replayed footage
                                        // may be old.
                                        "message.timestamp.type",
                                        "LogAppendTime")));
        topics.add(new NewTopic(c.labelsTopic(), partitions, (short) -1));
        topics.add(new NewTopic(c.countsTopic(), partitions, (short) -1));
        topics.add(new NewTopic(c.alertsTopic(), partitions, (short) -1));
        topics.add(new NewTopic(c.framesTopic(), 1, (short) -1));
        topics.add(new NewTopic(c.deadLetterTopic(), 1, (short) -1));
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + t.name() + ": " + e.getCause(), e);
                    }
                }
            }
        }
    }
}
