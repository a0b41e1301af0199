package io.quintet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The figures a benchmark records: percentiles of a latency histogram in milliseconds, in the order they were put. */
class BenchmarkResultTest {

    @Test
    void latenciesOfOneToOneThousandMillisecondsGiveTheirPercentilesInMilliseconds() {
        Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        for (int ms = 1; ms <= 1000; ms++) {
            micros.recordValue(ms * 1000L);
        }

        BenchmarkResult result = new BenchmarkResult("x").latencies("send", micros);

        // HdrHistogram with 3 significant digits: each figure within 0.1 % of the exact one
        assertThat(result.figures())
                .containsOnlyKeys("send_p50_ms", "send_p90_ms", "send_p99_ms", "send_p999_ms", "send_max_ms");
        assertThat((double) result.figures().get("send_p50_ms")).isBetween(499.5, 500.5);
        assertThat((double) result.figures().get("send_p90_ms")).isBetween(899.1, 900.9);
        assertThat((double) result.figures().get("send_p99_ms")).isBetween(989.0, 991.0);
        assertThat((double) result.figures().get("send_p999_ms")).isBetween(998.0, 1000.0);
        assertThat((double) result.figures().get("send_max_ms")).isBetween(999.0, 1001.0);
    }

    @Test
    void aLatencyIsRoundedToHundredthsOfAMillisecond() {
        Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        micros.recordValue(1_234); // 1.234 ms

        BenchmarkResult result = new BenchmarkResult("x").latencies("one", micros);

        assertThat(result.figures()).containsEntry("one_p50_ms", 1.23).containsEntry("one_max_ms", 1.23);
    }

    @Test
    void figuresKeepTheOrderTheyWerePutInAndAFailureIsKeptBesideThem() {
        BenchmarkResult result = new BenchmarkResult("pipeline")
                .put("zeta", 1)
                .put("alpha", "two")
                .put("mid", 3.5);
        assertThat(result.failure()).isNull();

        result.fail("id count failed");

        assertThat(result.benchmark()).isEqualTo("pipeline");
        assertThat(result.figures()).containsExactly(entry("zeta", 1), entry("alpha", "two"), entry("mid", 3.5));
        assertThat(result.failure()).isEqualTo("id count failed");
    }
}
