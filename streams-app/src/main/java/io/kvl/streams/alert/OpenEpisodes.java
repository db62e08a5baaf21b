package io.kvl.streams.alert;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Which cameras have an alert episode open, read from the rules' state store. */
public final class OpenEpisodes {
    private OpenEpisodes() {}

    /**
     * @param store the {@link AlertProcessor#STATE_STORE} (key {@code rule|camera})
     * @param nowOf the current capture time of a camera (its latest frame's, or the wall clock when
     *     unknown here): an episode is open while its last matching frame is less than the rule's
     *     cooldown before that
     * @return {@code rule|camera} of every open episode
     */
    public static Set<String> of(
            ReadOnlyKeyValueStore<String, byte[]> store,
            AlertRules rules,
            ToLongFunction<String> nowOf) {
        Set<String> open = new TreeSet<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                int bar = kv.key.indexOf('|');
                if (bar < 0) {
                    continue; // not a rule|camera key: nothing this class wrote
                }
                String ruleId = kv.key.substring(0, bar);
                String camera = kv.key.substring(bar + 1);
                EpisodeState s = EpisodeState.fromBytes(kv.value);
                long now = nowOf.applyAsLong(camera);
                rules.rules().stream()
                        .filter(r -> r.id().equals(ruleId))
                        .findFirst()
                        .filter(r -> s.active && now - s.lastMatch < r.cooldownMs())
                        .ifPresent(r -> open.add(kv.key));
            }
        }
        return open;
    }
}
