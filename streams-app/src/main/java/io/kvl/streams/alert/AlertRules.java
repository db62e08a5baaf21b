package io.kvl.streams.alert;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.schemas.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Label groups and alert rules, read from YAML (or JSON, which is YAML) at start:
 *
 * <pre>
 * groups:
 *   bottle: [beer bottle, wine bottle, water bottle, pop bottle, pill bottle]
 * rules:
 *   - id: bottle-on-line
 *     labels: [bottle]          # class names or group names
 *     min_score: 0.3
 *     min_frames: 3
 *     within_ms: 10000           # or consecutive: true
 *     cameras: ["line-*"]
 *     cooldown_ms: 60000
 *     severity: WARNING          # INFO, WARNING, CRITICAL
 * </pre>
 *
 * Any mistake fails with the file, the line and the reason.
 */
public final class AlertRules {
    private static final Set<String> RULE_KEYS =
            Set.of(
                    "id",
                    "labels",
                    "min_score",
                    "min_frames",
                    "within_ms",
                    "consecutive",
                    "cameras",
                    "cooldown_ms",
                    "severity");

    private final Map<String, Set<String>> groups;
    private final List<AlertRule> rules;

    private AlertRules(Map<String, Set<String>> groups, List<AlertRule> rules) {
        this.groups = groups;
        this.rules = rules;
    }

    /** No groups, no rules. */
    public static AlertRules none() {
        return new AlertRules(Map.of(), List.of());
    }

    /** Label group name to its class names (lower case). */
    public Map<String, Set<String>> groups() {
        return groups;
    }

    public List<AlertRule> rules() {
        return rules;
    }

    public static AlertRules load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new AlertRulesException(name, 0, "cannot read: " + e.getMessage(), e);
        }
        return parse(name, text);
    }

    public static AlertRules parse(String name, String text) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        List<AlertRule> rules = new ArrayList<>();
        try (JsonParser p = yaml.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new AlertRulesException(
                        name, line(p), "expected a mapping with 'groups' and 'rules'");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line(p);
                p.nextToken();
                switch (key) {
                    case "groups" -> readGroups(name, p, yaml, groups);
                    case "rules" -> readRules(name, p, yaml, groups, rules);
                    default ->
                            throw new AlertRulesException(
                                    name,
                                    keyLine,
                                    "unknown key '" + key + "' (expected groups, rules)");
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new AlertRulesException(
                    name,
                    loc == null ? 0 : loc.getLineNr(),
                    "not valid YAML: " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new AlertRulesException(name, 0, e.getMessage(), e);
        }
        Set<String> ids = new HashSet<>();
        for (AlertRule r : rules) {
            if (!ids.add(r.id())) {
                throw new AlertRulesException(name, r.line(), "duplicate rule id '" + r.id() + "'");
            }
        }
        return new AlertRules(groups, List.copyOf(rules));
    }

    private static void readGroups(
            String name, JsonParser p, ObjectMapper m, Map<String, Set<String>> groups)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new AlertRulesException(
                    name, line(p), "'groups' must map group names to lists of labels");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String group = p.currentName().toLowerCase(Locale.ROOT);
            int groupLine = line(p);
            p.nextToken();
            JsonNode members = m.readTree(p);
            if (!members.isArray() || members.isEmpty()) {
                throw new AlertRulesException(
                        name, groupLine, "group '" + group + "' needs a non-empty list of labels");
            }
            Set<String> classes = new TreeSet<>();
            for (JsonNode member : members) {
                classes.addAll(resolve(name, groupLine, member.asText(), groups));
            }
            groups.put(group, classes);
        }
    }

    private static void readRules(
            String name,
            JsonParser p,
            ObjectMapper m,
            Map<String, Set<String>> groups,
            List<AlertRule> rules)
            throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new AlertRulesException(name, line(p), "'rules' must be a list");
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int ruleLine = line(p);
            JsonNode node = m.readTree(p);
            rules.add(rule(name, ruleLine, node, groups));
        }
    }

    private static AlertRule rule(
            String file, int line, JsonNode n, Map<String, Set<String>> groups) {
        n.fieldNames()
                .forEachRemaining(
                        k -> {
                            if (!RULE_KEYS.contains(k)) {
                                throw new AlertRulesException(
                                        file,
                                        line,
                                        "unknown rule key '"
                                                + k
                                                + "' (expected "
                                                + new TreeSet<>(RULE_KEYS)
                                                + ")");
                            }
                        });
        String id = n.path("id").asText("");
        if (id.isBlank()) {
            throw new AlertRulesException(file, line, "rule without an id");
        }
        String where = "rule '" + id + "': ";
        if (!n.path("labels").isArray() || n.path("labels").isEmpty()) {
            throw new AlertRulesException(file, line, where + "'labels' must be a non-empty list");
        }
        Set<String> labels = new TreeSet<>();
        for (JsonNode l : n.path("labels")) {
            labels.addAll(resolve(file, line, l.asText(), groups));
        }
        double minScore = number(file, line, where, n, "min_score", 0.3, 0, 1);
        int minFrames = (int) number(file, line, where, n, "min_frames", 1, 1, 1_000_000);
        long within = (long) number(file, line, where, n, "within_ms", 10_000, 1, Long.MAX_VALUE);
        long cooldown =
                (long) number(file, line, where, n, "cooldown_ms", 60_000, 0, Long.MAX_VALUE);
        List<Pattern> cameras = new ArrayList<>();
        for (JsonNode c : n.path("cameras")) {
            cameras.add(AlertRule.glob(c.asText()));
        }
        Severity severity;
        try {
            severity =
                    Severity.valueOf(n.path("severity").asText("WARNING").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AlertRulesException(
                    file, line, where + "severity must be INFO, WARNING or CRITICAL", e);
        }
        return new AlertRule(
                id,
                labels,
                minScore,
                minFrames,
                within,
                n.path("consecutive").asBoolean(false),
                List.copyOf(cameras),
                cooldown,
                severity,
                line);
    }

    private static double number(
            String file,
            int line,
            String where,
            JsonNode n,
            String key,
            double def,
            double min,
            double max) {
        JsonNode v = n.get(key);
        if (v == null) {
            return def;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new AlertRulesException(
                    file,
                    line,
                    where + key + " must be a number in [" + min + ", " + max + "], got " + v);
        }
        return v.asDouble();
    }

    /** A group name or an ImageNet class name, to lower-case class names. */
    private static Set<String> resolve(
            String file, int line, String label, Map<String, Set<String>> groups) {
        String key = label.trim().toLowerCase(Locale.ROOT);
        Set<String> group = groups.get(key);
        if (group != null) {
            return group;
        }
        ImageNetClasses classes = ImageNetClasses.get();
        for (int i = 0; i < classes.size(); i++) {
            if (classes.name(i).toLowerCase(Locale.ROOT).equals(key)) {
                return Set.of(key);
            }
        }
        throw new AlertRulesException(
                file,
                line,
                "unknown label '"
                        + label
                        + "' (not a group defined above, nor an ImageNet class name)");
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
