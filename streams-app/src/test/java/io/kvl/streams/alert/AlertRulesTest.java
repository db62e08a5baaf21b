package io.kvl.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlertRulesTest {

    @Test
    void shouldExpandGroupsAndApplyDefaults() {
        AlertRules r =
                AlertRules.parse(
                        "r.yaml",
                        "groups:\n"
                                + "  bottle: [beer bottle, Wine Bottle]\n"
                                + "rules:\n"
                                + "  - id: a\n"
                                + "    labels: [bottle, cab]\n");
        assertThat(r.groups().get("bottle")).containsExactly("beer bottle", "wine bottle");
        AlertRule a = r.rules().get(0);
        assertThat(a.labels()).containsExactlyInAnyOrder("beer bottle", "wine bottle", "cab");
        assertThat(a.minFrames()).isEqualTo(1);
        assertThat(a.appliesTo("anything")).isTrue();
    }

    @Test
    void shouldMatchCameraGlobs() {
        AlertRules r =
                AlertRules.parse(
                        "r.yaml",
                        "rules:\n  - id: a\n    labels: [cab]\n    cameras: [\"dock-*\", gate]\n");
        AlertRule a = r.rules().get(0);
        assertThat(a.appliesTo("dock-7")).isTrue();
        assertThat(a.appliesTo("gate")).isTrue();
        assertThat(a.appliesTo("gate-2")).isFalse();
        assertThat(a.appliesTo("my-dock-7")).isFalse();
    }

    @Test
    void shouldNameTheLineAndReasonOfAnInvalidRule() {
        String text =
                "rules:\n  - id: ok\n    labels: [cab]\n  - id: bad\n    labels: [flying saucer]\n";
        assertThatThrownBy(() -> AlertRules.parse("rules.yaml", text))
                .isInstanceOf(AlertRulesException.class)
                .hasMessageContaining("rules.yaml line 4")
                .hasMessageContaining("unknown label 'flying saucer'");
        assertThatThrownBy(
                        () ->
                                AlertRules.parse(
                                        "rules.yaml",
                                        "rules:\n"
                                                + "  - id: x\n"
                                                + "    labels: [cab]\n"
                                                + "    min_frames: 0\n"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("min_frames");
        assertThatThrownBy(
                        () ->
                                AlertRules.parse(
                                        "rules.yaml",
                                        "rules:\n  - id: x\n    labels: [cab]\n    colour: red\n"))
                .hasMessageContaining("unknown rule key 'colour'");
        assertThatThrownBy(
                        () ->
                                AlertRules.parse(
                                        "rules.yaml", "rules:\n  - id: x\n    labels: [cab\n"))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(
                        () ->
                                AlertRules.parse(
                                        "rules.yaml",
                                        "rules:\n"
                                                + "  - id: x\n"
                                                + "    labels: [cab]\n"
                                                + "  - id: x\n"
                                                + "    labels: [cab]\n"))
                .hasMessageContaining("line 4")
                .hasMessageContaining("duplicate rule id");
    }
}
