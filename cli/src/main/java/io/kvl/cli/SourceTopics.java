package io.kvl.cli;

import io.kvl.streams.config.LabelerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks, before {@code kvl run} starts Kafka Streams, that the cluster answers and that the
 * application's input topics exist. Without it a missing input topic makes every stream thread fail
 * and be replaced, forever, with an error in the log and a process that looks alive; an unreachable
 * cluster looks the same.
 */
final class SourceTopics {
    private SourceTopics() {}

    static void check(LabelerConfig config, Duration timeout) throws InterruptedException {
        List<String> sources = new ArrayList<>(List.of(config.chunksTopic(), config.framesTopic()));
        if (config.aggregationEnabled()) {
            // The counts and alerts read the labels topic back.
            sources.add(config.labelsTopic());
        }
        // The same client settings (security, ...) Kafka Streams' own admin client gets.
        Map<String, Object> admin =
                new StreamsConfig(config.streamsProperties()).getAdminConfigs("kvl-run-check");
        String bootstrap = String.valueOf(admin.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin client = Admin.create(admin)) {
            List<String> missing = new ArrayList<>(sources);
            missing.removeAll(
                    client.listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
                            .names()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "input topics missing on "
                                + bootstrap
                                + ": "
                                + String.join(", ", missing)
                                + " (create them first; partitions bound the parallelism, see the"
                                + " README's Operations section)");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "no answer from the Kafka cluster at "
                            + bootstrap
                            + " within "
                            + timeout.toSeconds()
                            + " s: "
                            + Kvl.message(e.getCause() == null ? e : e.getCause()),
                    e);
        }
    }
}
