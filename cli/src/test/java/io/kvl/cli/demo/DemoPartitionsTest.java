package io.kvl.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class DemoPartitionsTest {

    private static List<DemoCamera> cameras(int n) {
        return IntStream.rangeClosed(1, n)
                .mapToObj(i -> new DemoCamera("camera-" + i, null, List.of()))
                .toList();
    }

    /** Where the producer's default partitioner sends a key: murmur2, positive, modulo. */
    private static int defaultPartition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    void shouldGiveEachOfFourCamerasItsOwnPartitionWhereHashingWouldNot() {
        List<DemoCamera> cameras = cameras(4);
        List<String> said = new ArrayList<>();

        Map<String, Integer> partitions = DemoPartitions.assign(cameras, 4, said::add);

        assertThat(partitions.values()).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(said).isEmpty();
        // Why explicit partitions: hashing the same ids leaves one of the 4 partitions idle.
        assertThat(cameras.stream().map(c -> defaultPartition(c.id(), 4)).distinct().count())
                .isLessThan(4);
    }

    @Test
    void shouldSharePartitionsEvenlyAndSaySoWhenThereAreFewerThanCameras() {
        List<String> said = new ArrayList<>();

        Map<String, Integer> partitions = DemoPartitions.assign(cameras(5), 2, said::add);

        Map<Integer, Long> camerasPerPartition =
                partitions.values().stream()
                        .collect(Collectors.groupingBy(p -> p, Collectors.counting()));
        assertThat(camerasPerPartition).containsOnly(Map.entry(0, 3L), Map.entry(1, 2L));
        assertThat(said)
                .singleElement()
                .asString()
                .contains("5 cameras share")
                .contains("2 partitions");
    }
}
