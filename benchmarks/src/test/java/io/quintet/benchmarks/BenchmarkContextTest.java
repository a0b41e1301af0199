package io.quintet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options a benchmark reads: given ones parsed, missing ones defaulted, malformed ones refused. */
class BenchmarkContextTest {
    final BenchmarkContext ctx =
            new BenchmarkContext("b:9092", Map.of("events", "500000", "rates", "200,400", "seed", "x"));

    @Test
    void aGivenOptionIsParsedAndAMissingOneTakesTheDefault() {
        assertThat(ctx.longOption("events", 1)).isEqualTo(500_000L);
        assertThat(ctx.intOption("events", 1)).isEqualTo(500_000);
        assertThat(ctx.intOption("step-seconds", 60)).isEqualTo(60);
        assertThat(ctx.option("rates", "500")).isEqualTo("200,400");
        assertThat(ctx.option("users", "10000")).isEqualTo("10000");
    }

    @Test
    void aNonNumericValueForANumericOptionIsRefused() {
        assertThatThrownBy(() -> ctx.longOption("seed", 42)).isInstanceOf(NumberFormatException.class);
    }
}
