package io.quintet.feeds.metrics.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(5000), 6);

    @Test
    void waitsDoubleWithJitterBetweenHalfAndAllOfTheStepAndStopAtTheMaximum() {
        SplittableRandom random = new SplittableRandom(42);
        long[] steps = {1000, 2000, 4000, 5000, 5000};
        for (int attempt = 1; attempt <= steps.length; attempt++) {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long d = backoff.delayAfter(attempt, random).toMillis();
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            assertThat(min)
                    .as("attempt %d", attempt)
                    .isGreaterThanOrEqualTo(steps[attempt - 1] / 2)
                    .isLessThan(steps[attempt - 1] / 2 + steps[attempt - 1] / 20);
            assertThat(max)
                    .as("attempt %d", attempt)
                    .isLessThanOrEqualTo(steps[attempt - 1])
                    .isGreaterThan(steps[attempt - 1] - steps[attempt - 1] / 20);
        }
    }

    @Test
    void theWorstCaseWaitIsTheSumOfTheCappedStepsBetweenAttempts() {
        assertThat(backoff.worstCaseWait()).isEqualTo(Duration.ofMillis(1000 + 2000 + 4000 + 5000 + 5000));
        assertThat(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 1).worstCaseWait())
                .isZero();
    }

    @Test
    void aMaximumBelowTheInitialWaitIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
