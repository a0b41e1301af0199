package io.quintet.feeds.metrics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertRulesFileTest {

    @Test
    void theShippedExampleRulesLoad() {
        AlertRuleSet rules = AlertRulesFile.load(Path.of("config/alert-rules.yaml"), Duration.ofSeconds(10));
        assertThat(rules.rules())
                .extracting(AlertRule::id)
                .containsExactly("brute-force-login", "workflow-failure-rate", "ai-cost-spike");
        AlertRule brute = rules.byId("brute-force-login").orElseThrow();
        assertThat(brute.threshold()).isEqualTo(Threshold.count(5));
        assertThat(brute.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(brute.grace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(rules.byId("workflow-failure-rate").orElseThrow().threshold())
                .isEqualTo(Threshold.failureRate(0.2, 5));
        assertThat(rules.byId("ai-cost-spike").orElseThrow().threshold().kind()).isEqualTo(Threshold.Kind.SUM);
    }

    @Test
    void everyProblemInARulesFileIsReportedAtOnce() {
        assertThatThrownBy(() -> AlertRulesFile.parse("""
                rules:
                  - id: Bad Id
                    pattern: auth..x
                    group_by: planet
                    window: soon
                    threshold: {count: 0}
                    severity: apocalyptic
                    colour: red
                  - id: ok
                    pattern: auth.*
                    group_by: actor
                    window: 5m
                    threshold: {count: 3, failure_rate: 0.5}
                """, Duration.ZERO, "test.yaml"))
                .isInstanceOfSatisfying(
                        AlertRulesFile.InvalidRulesException.class,
                        e -> assertThat(e.problems())
                                .hasSize(8)
                                .anySatisfy(p -> assertThat(p).contains("unknown field 'colour'"))
                                .anySatisfy(p -> assertThat(p).contains("id is missing or not lower-case"))
                                .anySatisfy(p -> assertThat(p).contains("pattern"))
                                .anySatisfy(p -> assertThat(p).contains("group_by 'planet'"))
                                .anySatisfy(p -> assertThat(p).contains("window"))
                                .anySatisfy(p -> assertThat(p).contains("count must be a whole number >= 1"))
                                .anySatisfy(p -> assertThat(p).contains("severity 'apocalyptic'"))
                                .anySatisfy(p -> assertThat(p).contains("rule 2 'ok': threshold needs exactly one")));
    }

    @Test
    void theFingerprintIgnoresDescriptionAndSeverityButNotTheThreshold() {
        String base = "rules: [{id: r, pattern: a.b.c, group_by: actor, window: 5m, threshold: {count: 5}%s}]";
        String f1 = AlertRulesFile.parse(base.formatted(""), Duration.ZERO, "t")
                .byId("r")
                .orElseThrow()
                .fingerprint();
        String f2 = AlertRulesFile.parse(base.formatted(", severity: high, description: x"), Duration.ZERO, "t")
                .byId("r")
                .orElseThrow()
                .fingerprint();
        String f3 = AlertRulesFile.parse(base.formatted("").replace("count: 5", "count: 6"), Duration.ZERO, "t")
                .byId("r")
                .orElseThrow()
                .fingerprint();
        assertThat(f1).isEqualTo(f2).isNotEqualTo(f3);
    }

    @Test
    void ipPrefixesMaskTheHostPart() {
        assertThat(GroupBy.ipPrefix("203.0.113.42")).isEqualTo("203.0.113.0/24");
        assertThat(GroupBy.ipPrefix("2001:db8:85a3::8a2e:370:7334")).isEqualTo("2001:db8:85a3::/48");
        assertThat(GroupBy.ipPrefix("p-3f2a9c")).isNull();
        assertThat(GroupBy.ipPrefix("999.1.1.1")).isNull();
    }
}
