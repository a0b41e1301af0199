package io.quintet.feeds.metrics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.feeds.app.FeedAggregatorApp;
import io.quintet.feeds.app.FeedAggregatorConfig;
import io.quintet.feeds.metrics.MetricDimension;
import io.quintet.feeds.stream.TopologyFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The syntax of anomaly (baseline) rules in the rules file, and how bad ones are rejected. */
class BaselineRulesFileTest {
    static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(1), Duration.ofHours(1));

    @Test
    void theShippedRulesFileHoldsAnExampleAnomalyRuleThatLoadsWithTheDefaultMetricWindows() {
        AlertRuleSet rules = AlertRulesFile.load(Path.of("config/alert-rules.yaml"), Duration.ofSeconds(10), WINDOWS);
        BaselineRule r = rules.baselineById("login-failures-unusual").orElseThrow();
        assertThat(r.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(r.dimension()).isEqualTo(MetricDimension.ACTION);
        assertThat(r.value()).isEqualTo("auth.user.login_failed");
        assertThat(r.measure()).isEqualTo(BaselineRule.Measure.COUNT);
        assertThat(r.ewma()).isEqualTo(new BaselineRule.Ewma(0.1, 60, 10, 0));
        assertThat(r.seasonal()).isNull();
        assertThat(r.bounds()).isEqualTo(new BaselineRule.Bounds(4.0, null, 6.0, null, 50));
        assertThat(rules.rules()).as("the threshold rules are unchanged").hasSize(3);
    }

    @Test
    void everyProblemOfAnAnomalyRuleIsReportedNamingTheRuleAndTheField() {
        assertThatThrownBy(() -> AlertRulesFile.parse("""
                rules:
                  - id: no-series
                    baseline: {ewma: {alpha: 0.1}}
                    fire_when: {ratio_above: 3}
                  - id: bad-everything
                    series: {window: 5m, dimension: planet, colour: red}
                    measure: p99
                    baseline: {ewma: {alpha: 1.5, min_history: 0}, seasonal: {days: 40}}
                    fire_when: {ratio_above: 0.5, z_below: 2, min_count: -1}
                  - id: z-without-ewma
                    series: {window: 1h, dimension: action, value: "auth..x"}
                    baseline: {seasonal: {days: 7, min_days: 9}}
                    fire_when: {z_above: 4}
                  - id: both-kinds
                    series: {window: 1m, dimension: action}
                    baseline: {ewma: {alpha: 0.1}}
                    threshold: {count: 5}
                    fire_when: {}
                """, Duration.ZERO, WINDOWS, "rules.yaml"))
                .isInstanceOfSatisfying(
                        AlertRulesFile.InvalidRulesException.class,
                        e -> assertThat(e.problems())
                                .contains(
                                        "rule 1 'no-series': series is missing; give {window: 1m, dimension: action|source|domain, value: ...}",
                                        "rule 2 'bad-everything': series unknown field 'colour' (known: dimension, value, window)",
                                        "rule 2 'bad-everything': series window 5m is not one of metrics.windows (1m, 1h)",
                                        "rule 2 'bad-everything': baseline ewma alpha must be a number in (0, 1], e.g. 0.1 (about the last 10 windows)",
                                        "rule 2 'bad-everything': baseline ewma min_history must be a whole number >= 1",
                                        "rule 2 'bad-everything': baseline seasonal days must be at most 28",
                                        "rule 2 'bad-everything': fire_when ratio_above must be greater than 1 (observed / baseline)",
                                        "rule 2 'bad-everything': fire_when z_below must be negative",
                                        "rule 2 'bad-everything': fire_when min_count must be a whole number >= 0",
                                        "rule 3 'z-without-ewma': baseline seasonal min_days must not exceed days",
                                        "rule 3 'z-without-ewma': fire_when z_above/z_below need an ewma baseline (the z-score is against the EWMA mean and variance)",
                                        "rule 3 'z-without-ewma': a seasonal baseline is compared by ratio: give fire_when ratio_above or ratio_below",
                                        "rule 4 'both-kinds': give either threshold (a fixed bound) or baseline (an anomaly rule), not both",
                                        "rule 4 'both-kinds': fire_when needs at least one of ratio_above, ratio_below, z_above, z_below")
                                .anySatisfy(
                                        p -> assertThat(p)
                                                .startsWith(
                                                        "rule 2 'bad-everything': series dimension: unknown metric dimension 'planet'"))
                                .anySatisfy(p -> assertThat(p)
                                        .startsWith("rule 2 'bad-everything': measure 'p99' is not one of"))
                                .anySatisfy(p -> assertThat(p).startsWith("rule 3 'z-without-ewma': series value: ")));
    }

    @Test
    void aSeasonalBaselineNeedsAWindowThatDividesADay() {
        assertThatThrownBy(() -> AlertRulesFile.parse("""
                rules: [{id: odd, series: {window: 7m}, baseline: {seasonal: {days: 2}}, fire_when: {ratio_above: 2}}]
                """, Duration.ZERO, List.of(Duration.ofMinutes(7)), "rules.yaml"))
                .isInstanceOfSatisfying(
                        AlertRulesFile.InvalidRulesException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "rule 1 'odd': baseline seasonal needs a series window that divides a day (1m, 5m, 1h, ...), not 7m"));
    }

    @Test
    void theServiceRefusesToStartWithABadAnomalyRuleAndNamesTheRuleAndTheField() {
        Path file = TopologyFixture.tempFile("""
                rules:
                  - id: checkout-slow
                    series: {window: 1m, dimension: source, value: checkout}
                    measure: p95_duration_ms
                    baseline: {ewma: {alpha: 0}}
                    fire_when: {ratio_above: 2}
                """);
        FeedAggregatorConfig config = FeedAggregatorConfig.of(Map.of(
                FeedAggregatorConfig.ALERTS_RULES_FILE,
                file.toString(),
                FeedAggregatorConfig.BOOTSTRAP,
                "127.0.0.1:1"));
        assertThatThrownBy(() -> FeedAggregatorApp.start(config))
                .isInstanceOf(AlertRulesFile.InvalidRulesException.class)
                .hasMessageContaining("rule 1 'checkout-slow': baseline ewma alpha must be a number in (0, 1]");
    }

    @Test
    void changingABoundKeepsTheLearnedBaselineButChangingAlphaOrTheSeriesStartsAfresh() {
        String base =
                "rules: [{id: r, series: {window: 1m, value: a.b.c}, baseline: {ewma: {alpha: %s}}, fire_when: {ratio_above: %s}}]";
        BaselineRule r1 = rule(base.formatted("0.1", "3"));
        BaselineRule bound = rule(base.formatted("0.1", "4"));
        BaselineRule alpha = rule(base.formatted("0.2", "3"));
        BaselineRule series = rule(base.formatted("0.1", "3").replace("a.b.c", "a.b.d"));
        assertThat(bound.stateFingerprint()).isEqualTo(r1.stateFingerprint());
        assertThat(bound.fingerprint()).isNotEqualTo(r1.fingerprint());
        assertThat(alpha.stateFingerprint()).isNotEqualTo(r1.stateFingerprint());
        assertThat(series.stateFingerprint()).isNotEqualTo(r1.stateFingerprint());
        assertThat(rule(base.formatted("0.1", "3").replace("}]", ", severity: critical, description: x}]"))
                        .fingerprint())
                .as("description and severity are not part of it")
                .isEqualTo(r1.fingerprint());
    }

    @Test
    void anIdIsUniqueAcrossThresholdAndAnomalyRules() {
        assertThatThrownBy(() -> AlertRulesFile.parse("""
                rules:
                  - {id: r, pattern: a.b.c, group_by: actor, window: 5m, threshold: {count: 5}}
                  - {id: r, series: {window: 1m}, baseline: {ewma: {alpha: 0.1}}, fire_when: {ratio_above: 3}}
                """, Duration.ZERO, WINDOWS, "rules.yaml"))
                .isInstanceOfSatisfying(
                        AlertRulesFile.InvalidRulesException.class,
                        e -> assertThat(e.problems()).containsExactly("rule 2 'r': id is used by an earlier rule"));
    }

    static BaselineRule rule(String yaml) {
        return AlertRulesFile.parse(yaml, Duration.ZERO, WINDOWS, "t")
                .baselineRules()
                .iterator()
                .next();
    }
}
