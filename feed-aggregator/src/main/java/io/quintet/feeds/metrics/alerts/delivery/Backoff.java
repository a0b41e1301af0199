package io.quintet.feeds.metrics.alerts.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter between delivery attempts: before attempt {@code n + 1} (n >= 1) wait a random time
 * in {@code [d/2, d]} where {@code d = min(max, initial * 2^(n-1))} ("equal jitter": retries of many alerts spread
 * out, and a wait never drops below half the exponential step). After {@code maxAttempts} failed attempts the alert is
 * dead-lettered.
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and at least one attempt");
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        long step = initial.toMillis();
        for (int i = 1; i < attempt && step < max.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, max.toMillis());
        long half = step / 2;
        return Duration.ofMillis(half + random.nextLong(step - half + 1));
    }

    /** The longest time the retries of one delivery can wait in all (every wait at its upper bound). */
    public Duration worstCaseWait() {
        long total = 0;
        long step = initial.toMillis();
        for (int i = 1; i < maxAttempts; i++) {
            total += Math.min(step, max.toMillis());
            step = Math.min(step * 2, max.toMillis());
        }
        return Duration.ofMillis(total);
    }
}
