package io.kvl.streams.alert;

import io.kvl.schemas.Severity;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One alert rule: which labels (class names, resolved groups) on which cameras, how many matching
 * frames make an episode, and how long the cooldown is.
 *
 * @param id unique rule id
 * @param labels class names that match (groups already expanded), lower case
 * @param minScore a frame matches when one of these labels has at least this score
 * @param minFrames matching frames needed within {@code withinMs} (or consecutively)
 * @param withinMs sliding window for counting matching frames, by capture time
 * @param consecutive require {@code minFrames} matching frames in a row instead
 * @param cameras camera id patterns ({@code *} wildcards); empty matches every camera
 * @param cooldownMs an episode ends after this long without a matching frame, and no two alerts of
 *     the rule and camera are closer than this
 * @param severity carried into the alert
 * @param line line of the rule in its file, for messages
 */
public record AlertRule(
        String id,
        Set<String> labels,
        double minScore,
        int minFrames,
        long withinMs,
        boolean consecutive,
        List<Pattern> cameras,
        long cooldownMs,
        Severity severity,
        int line) {

    public boolean appliesTo(String cameraId) {
        return cameras.isEmpty() || cameras.stream().anyMatch(p -> p.matcher(cameraId).matches());
    }

    /** {@code *} matches any run of characters; everything else is literal. */
    static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }
}
