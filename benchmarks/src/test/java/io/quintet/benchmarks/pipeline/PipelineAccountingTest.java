package io.quintet.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of the pipeline benchmark: lag growth, the capacity decision, the id count. No timing. */
class PipelineAccountingTest {

    private static List<LagTrend.Sample> lags(long... values) {
        List<LagTrend.Sample> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new LagTrend.Sample(i * 5_000L, values[i]));
        }
        return out;
    }

    @Test
    void aSawToothingLagDoesNotGrow() {
        // a sink committing every 5 s at 1,000 ev/s: 0..5,000 records behind, ending higher than it started
        assertThat(LagTrend.grows(lags(0, 4_800, 200, 4_900, 100, 4_700, 300, 4_950), 1_000))
                .isFalse();
    }

    @Test
    void aSteadilyGrowingLagGrows() {
        // 300 records/s more than the stage drains, over 60 s
        long[] v = new long[13];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1_000 + i * 1_500L;
        }
        assertThat(LagTrend.slopePerSecond(lags(v))).isCloseTo(300.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(LagTrend.grows(lags(v), 1_000)).isTrue();
    }

    @Test
    void aDrainingBacklogDoesNotGrow() {
        assertThat(LagTrend.grows(lags(40_000, 30_000, 20_000, 10_000, 0), 1_000))
                .isFalse();
    }

    @Test
    void growthWithinTheToleranceDoesNotCount() {
        // slope above 2 % of 1,000/s but only 3,000 records more at the end: under 5 s of load
        assertThat(LagTrend.grows(lags(0, 750, 1_500, 2_250, 3_000), 1_000)).isFalse();
        assertThat(LagTrend.grows(lags(5), 1_000)).isFalse();
    }

    @Test
    void capacityIsTheHighestStepWithoutGrowthAndWithP99UnderOneSecond() {
        List<Capacity.Step> steps = List.of(
                new Capacity.Step(500, List.of(), 120),
                new Capacity.Step(1_000, List.of(), 400),
                new Capacity.Step(2_000, List.of("quintet-feed-aggregator"), 300),
                new Capacity.Step(4_000, List.of(), 1_500),
                new Capacity.Step(8_000, List.of("quintet-enricher"), Double.NaN));
        assertThat(Capacity.sustained(steps)).contains(1_000);
        assertThat(steps.get(2).verdict()).isEqualTo("lag grows: quintet-feed-aggregator");
        assertThat(steps.get(3).verdict()).isEqualTo("canonical p99 1500 ms >= 1 s");
        assertThat(steps.get(4).verdict()).contains("quintet-enricher").contains("no event reached");
        assertThat(Capacity.sustained(steps.subList(2, 5))).isEmpty();
    }

    @Test
    void everyAcceptedIdOnceOnCanonicalOrDlqAndEveryCanonicalIdInTheTable() {
        IdAccounting ok =
                IdAccounting.count(Set.of("a", "b", "c"), List.of("a", "b", "x"), List.of("c"), List.of("a", "b", "x"));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.unexpectedCanonical()).isEqualTo(1);
        assertThat(ok.deadLettered()).isEqualTo(1);
    }

    @Test
    void anAcceptedIdDeadLetteredInsteadOfCanonicalIsCountedNotMissing() {
        IdAccounting ids = IdAccounting.count(Set.of("a", "bad"), List.of("a"), List.of("bad"), List.of("a"));
        assertThat(ids.ok()).isTrue();
        assertThat(ids.missing()).isEmpty();
        assertThat(ids.deadLettered()).isEqualTo(1);
        assertThat(ids.canonical()).isEqualTo(1);
        assertThat(ids.summary()).startsWith("accepted 2, canonical 1, dead-lettered 1, not accepted in this run 0;");
    }

    @Test
    void anIdBothCanonicalAndDeadLetteredIsDuplicated() {
        IdAccounting ids = IdAccounting.count(Set.of("a"), List.of("a"), List.of("a"), List.of("a"));
        assertThat(ids.ok()).isFalse();
        assertThat(ids.duplicated()).containsExactly("a");
    }

    @Test
    void missingDuplicatedAndUnwrittenIdsFail() {
        IdAccounting a =
                IdAccounting.count(Set.of("a", "b", "c", "d"), List.of("a", "b", "b"), List.of("a"), List.of("a"));
        assertThat(a.ok()).isFalse();
        assertThat(a.missing()).containsExactlyInAnyOrder("c", "d");
        assertThat(a.duplicated()).containsExactlyInAnyOrder("a", "b");
        assertThat(a.missingFromTable()).containsExactly("b");
        assertThat(a.summary())
                .contains("missing 2")
                .contains("twice or more 2")
                .contains("canonical missing from the table 1");

        IdAccounting twiceInTable = IdAccounting.count(Set.of("a"), List.of("a"), List.of(), List.of("a", "a"));
        assertThat(twiceInTable.ok()).isFalse();
        assertThat(twiceInTable.duplicatedInTable()).containsExactly("a");
    }

    @Test
    void eventsProcessedPerStageAreTheGrowthOfTheirCommittedOffsets() {
        PipelineBenchmark.Stage stage = new PipelineBenchmark.Stage(1, 1_000);
        stage.first.put("quintet-enricher", new GroupLag.Reading(Map.of(), Map.of("events.raw", 100L, "profiles", 5L)));
        stage.last.put(
                "quintet-enricher", new GroupLag.Reading(Map.of(), Map.of("events.raw", 55_100L, "profiles", 9L)));
        stage.first.put(
                "quintet-feed-aggregator",
                new GroupLag.Reading(Map.of(), Map.of("events.canonical", 1_000L, "x-repartition", 7L)));
        stage.last.put(
                "quintet-feed-aggregator",
                new GroupLag.Reading(Map.of(), Map.of("events.canonical", 36_000L, "x-repartition", 70_000L)));
        // the sink has not committed yet: nothing worked through
        assertThat(PipelineBenchmark.processed(stage)).containsExactly(55_000, 35_000, 0);
    }
}
