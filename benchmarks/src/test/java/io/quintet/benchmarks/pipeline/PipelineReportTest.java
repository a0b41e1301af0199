package io.quintet.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.demo.PipelineProcesses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * How the pipeline benchmark turns what a step showed into figures: which stages' lag grew, CPU per event, latency
 * percentiles, the sustained-capacity decision and its line. No pipeline, no timing.
 */
class PipelineReportTest {

    private static Capacity.Step step(int rate, List<String> growing, double p99) {
        return new Capacity.Step(rate, growing, p99);
    }

    @Test
    void aStepWhoseLagGrowsIsNotSustainedWhateverItsLatency() {
        Capacity.Step s = step(1_000, List.of("enricher"), 50);
        assertThat(s.sustained()).isFalse();
        assertThat(s.verdict()).isEqualTo("lag grows: enricher");
    }

    @Test
    void aP99OfOneSecondOrMoreIsNotSustainedAndJustUnderIs() {
        assertThat(step(1_000, List.of(), 1_000.0).sustained()).isFalse();
        assertThat(step(1_000, List.of(), 999.9).sustained()).isTrue();
        assertThat(step(1_000, List.of(), 999.9).verdict()).isEqualTo("sustained");
    }

    @Test
    void bothReasonsAreNamedWhenLagGrowsAndTheP99IsTooHigh() {
        assertThat(step(4_000, List.of("enricher", "analytics-sink"), 2_400.4).verdict())
                .isEqualTo("lag grows: enricher, analytics-sink; canonical p99 2400 ms >= 1 s");
    }

    @Test
    void theHighestQualifyingStepWinsEvenWhenALowerOneFailed() {
        // a noisy middle step does not cap the capacity: the highest sustained step is the figure
        List<Capacity.Step> steps = List.of(
                step(500, List.of(), 100),
                step(1_000, List.of("feed-aggregator"), 200),
                step(2_000, List.of(), 600),
                step(4_000, List.of(), 1_200));

        assertThat(Capacity.sustained(steps)).contains(2_000);
        assertThat(PipelineBenchmark.capacityLine(steps))
                .isEqualTo("sustained capacity: 2000 events/s; first step not sustained: 1000 events/s "
                        + "(lag grows: feed-aggregator)");
    }

    @Test
    void whenNoStepQualifiesTheLineSaysBelowTheLowestStep() {
        List<Capacity.Step> steps = List.of(step(500, List.of(), Double.NaN), step(1_000, List.of("enricher"), 300));

        assertThat(Capacity.sustained(steps)).isEmpty();
        assertThat(PipelineBenchmark.capacityLine(steps))
                .isEqualTo("sustained capacity: below the lowest step (500 events/s); first step not sustained: "
                        + "500 events/s (no event reached events.canonical)");
    }

    @Test
    void whenEveryStepIsSustainedTheLineNamesTheHighestAndNoFailure() {
        assertThat(PipelineBenchmark.capacityLine(List.of(step(500, List.of(), 10), step(1_000, List.of(), 20))))
                .isEqualTo("sustained capacity: 1000 events/s");
    }

    @Test
    void onlyTheStagesWhoseLagGrewAreNamedInPipelineOrder() {
        PipelineBenchmark.Stage stage = new PipelineBenchmark.Stage(1, 1_000);
        stage.lag.put(PipelineProcesses.SINK_GROUP, lags(0, 20_000, 40_000, 60_000));
        stage.lag.put(PipelineProcesses.ENRICHER_APP, lags(0, 15_000, 30_000, 45_000));
        stage.lag.put(PipelineProcesses.FEEDS_APP, lags(100, 4_000, 200, 3_900));

        assertThat(PipelineBenchmark.growing(stage)).containsExactly("enricher", "analytics-sink");
    }

    @Test
    void aStageWithoutLagSamplesIsNotGrowing() {
        assertThat(PipelineBenchmark.growing(new PipelineBenchmark.Stage(1, 1_000)))
                .isEmpty();
    }

    @Test
    void cpuPerEventIsMicrosecondsToATenthAndUndefinedWithoutEvents() {
        // 2.5 s of CPU over 10,000 events: 250 us each
        assertThat(PipelineBenchmark.perEvent(2_500_000_000L, 10_000)).isEqualTo(250.0);
        assertThat(PipelineBenchmark.perEvent(1_234_567L, 1_000)).isEqualTo(1.2);
        assertThat(PipelineBenchmark.perEvent(5_000_000L, 0)).isNaN();
    }

    @Test
    void aLatencyIsRecordedInMicrosecondsAndAnEventNeverSeenIsNotRecorded() {
        Histogram h = new Histogram(TimeUnit.HOURS.toMicros(2), 3);
        PipelineBenchmark.record(h, 1_000_000L, 1_000_000L + 1_500_000L); // 1.5 ms
        PipelineBenchmark.record(h, 1_000_000L, 0); // never reached the output
        PipelineBenchmark.record(h, 9_000_000L, 8_000_000L); // clocks of two threads: never negative

        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMaxValue()).isEqualTo(1_500);
        assertThat(h.getMinValue()).isZero();
    }

    @Test
    void latencyFiguresArePercentilesInWholeMillisecondsWithHowManyWereSeen() {
        Histogram h = new Histogram(TimeUnit.HOURS.toMicros(2), 3);
        for (int ms = 1; ms <= 100; ms++) {
            h.recordValue(ms * 1_000L);
        }
        BenchmarkResult result = new BenchmarkResult("pipeline");

        PipelineBenchmark.latency(result, "s500_canonical", h, 120);
        PipelineBenchmark.latency(result, "s500_alert", new Histogram(3), 4);

        assertThat(result.figures())
                .containsEntry("s500_canonical_seen", "100/120")
                .containsEntry("s500_canonical_p50_ms", 50L)
                .containsEntry("s500_canonical_p99_ms", 99L)
                .containsEntry("s500_canonical_max_ms", 100L)
                .containsEntry("s500_alert_seen", "0/4")
                .doesNotContainKey("s500_alert_p50_ms");
    }

    private static List<LagTrend.Sample> lags(long... values) {
        List<LagTrend.Sample> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new LagTrend.Sample(i * 20_000L, values[i]));
        }
        return out;
    }
}
