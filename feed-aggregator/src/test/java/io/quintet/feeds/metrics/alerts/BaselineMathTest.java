package io.quintet.feeds.metrics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quintet.feeds.metrics.MetricDimension;
import io.quintet.feeds.metrics.MetricRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EWMA mean/variance update, the z-score and ratio, and the figures each measure reads from a metric window. */
class BaselineMathTest {
    static final Duration MINUTE = Duration.ofMinutes(1);

    static BaselineRule rule(
            BaselineRule.Measure measure,
            BaselineRule.Ewma ewma,
            BaselineRule.Seasonal seasonal,
            BaselineRule.Bounds bounds) {
        return BaselineRule.of(
                "r", null, "warning", MINUTE, MetricDimension.ACTION, "*", measure, ewma, seasonal, bounds);
    }

    static MetricRecord window(long count, long failures, MetricRecord.DurationStats durations) {
        Instant start = Instant.parse("2026-11-02T09:00:00Z");
        return new MetricRecord(
                MetricRecord.SCHEMA,
                "1m/action/a.b.c",
                "action",
                "a.b.c",
                "PT1M",
                start,
                start.plus(MINUTE),
                true,
                count,
                failures,
                count == 0 ? 0 : (double) failures / count,
                1,
                1,
                1,
                durations,
                null);
    }

    @Test
    void theEwmaMeanAndVarianceFollowTheIncrementalUpdate() {
        BaselineState s = BaselineState.first(10, 0, false);
        assertThat(s.mean()).isEqualTo(10);
        assertThat(s.variance()).isZero();
        s = s.learn(20, 0.1, 60_000, false); // diff 10, incr 1: mean 11, variance 0.9 * (0 + 10 * 1) = 9
        assertThat(s.mean()).isCloseTo(11, within(1e-12));
        assertThat(s.variance()).isCloseTo(9, within(1e-12));
        assertThat(s.history()).isEqualTo(2);
        s = s.learn(11, 0.1, 120_000, false); // diff 0: mean stays, variance decays by 1 - alpha
        assertThat(s.mean()).isCloseTo(11, within(1e-12));
        assertThat(s.variance()).isCloseTo(8.1, within(1e-12));
    }

    @Test
    void windowsWithoutEventsAreLearnedAsZerosForCountRules() {
        BaselineState s = BaselineState.first(100, 0, false).fillZeros(2, 0.5);
        assertThat(s.mean()).isCloseTo(25, within(1e-12)); // 100 -> 50 -> 25
        assertThat(s.history()).isEqualTo(3);
        assertThat(BaselineRule.Measure.COUNT.zeroWhenAbsent()).isTrue();
        assertThat(BaselineRule.Measure.P95_DURATION_MS.zeroWhenAbsent()).isFalse();
    }

    @Test
    void theZScoreUsesTheStddevBeforeTheWindowIsLearnedAndItsFloor() {
        BaselineState s = new BaselineState(100, 25, 30, 0, 0); // stddev 5
        BaselineRule.Bounds z3 = new BaselineRule.Bounds(null, null, 3.0, null, 0);
        BaselineEvaluation ev = BaselineEvaluation.of(
                rule(BaselineRule.Measure.COUNT, new BaselineRule.Ewma(0.1, 30, 10, 0), null, z3),
                120,
                120,
                s,
                List.of());
        assertThat(ev.z()).isCloseTo(4.0, within(1e-12));
        assertThat(ev.ratioToEwma()).isCloseTo(1.2, within(1e-12));
        assertThat(ev.anomalous()).isTrue();
        BaselineEvaluation floored = BaselineEvaluation.of(
                rule(BaselineRule.Measure.COUNT, new BaselineRule.Ewma(0.1, 30, 10, 10), null, z3),
                120,
                120,
                s,
                List.of());
        assertThat(floored.z()).as("min_stddev 10").isCloseTo(2.0, within(1e-12));
        assertThat(floored.anomalous()).isFalse();
    }

    @Test
    void withBothBaselinesBothMustAgree() {
        BaselineRule both = rule(
                BaselineRule.Measure.COUNT,
                new BaselineRule.Ewma(0.1, 1, 10, 0),
                new BaselineRule.Seasonal(2, 2),
                new BaselineRule.Bounds(3.0, null, null, null, 0));
        BaselineState s = new BaselineState(100, 25, 30, 0, 0);
        assertThat(BaselineEvaluation.of(both, 400, 400, s, List.of(100.0, 100.0))
                        .anomalous())
                .isTrue();
        assertThat(BaselineEvaluation.of(both, 400, 400, s, List.of(400.0, 380.0))
                        .anomalous())
                .as("usual for this time of day")
                .isFalse();
        assertThat(BaselineEvaluation.of(both, 400, 400, s, List.of(100.0)).anomalous())
                .as("one of the two days missing: not ready")
                .isFalse();
    }

    @Test
    void aRatioAgainstAZeroBaselineIsInfiniteAndZeroOverZeroIsOne() {
        assertThat(BaselineEvaluation.ratio(5, 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(BaselineEvaluation.ratio(0, 0)).isEqualTo(1.0);
        assertThat(BaselineEvaluation.number(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void eachMeasureReadsItsFigureFromTheWindow() {
        MetricRecord.DurationStats d = new MetricRecord.DurationStats(4, 10, 900, 50, 880, 899, 0.01);
        MetricRecord w = window(120, 30, d);
        assertThat(BaselineRule.Measure.COUNT.of(w, MINUTE).getAsDouble()).isEqualTo(120);
        assertThat(BaselineRule.Measure.RATE.of(w, MINUTE).getAsDouble()).isEqualTo(2.0);
        assertThat(BaselineRule.Measure.FAILURE_RATE.of(w, MINUTE).getAsDouble())
                .isEqualTo(0.25);
        assertThat(BaselineRule.Measure.P95_DURATION_MS.of(w, MINUTE).getAsDouble())
                .isEqualTo(880);
        assertThat(BaselineRule.Measure.P95_DURATION_MS.of(window(3, 0, null), MINUTE))
                .as("no durations")
                .isEmpty();
    }

    @Test
    void aRuleSelectsItsSeriesByWindowDimensionAndValue() {
        BaselineRule auth = BaselineRule.of(
                "r",
                null,
                "warning",
                MINUTE,
                MetricDimension.ACTION,
                "auth.*",
                BaselineRule.Measure.COUNT,
                new BaselineRule.Ewma(0.1, 1, 0, 0),
                null,
                new BaselineRule.Bounds(2.0, null, null, null, 0));
        assertThat(auth.selects(MINUTE, "action", "auth.user.login_failed")).isTrue();
        assertThat(auth.selects(MINUTE, "action", "billing.invoice.paid")).isFalse();
        assertThat(auth.selects(Duration.ofHours(1), "action", "auth.user.login_failed"))
                .isFalse();
        assertThat(auth.selects(MINUTE, "source", "auth.user.login_failed")).isFalse();
        BaselineRule billing = BaselineRule.of(
                "d",
                null,
                "warning",
                MINUTE,
                MetricDimension.DOMAIN,
                "billing",
                BaselineRule.Measure.COUNT,
                new BaselineRule.Ewma(0.1, 1, 0, 0),
                null,
                new BaselineRule.Bounds(2.0, null, null, null, 0));
        assertThat(billing.selects(MINUTE, "domain", "billing.*")).isTrue();
    }
}
