package io.quintet.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void grantsTheBurstThenAsksToWaitUntilTokensRefill() {
        RateLimiter limiter = new RateLimiter(10, 20, nanos::get);
        assertThat(limiter.tryAcquire("k", 15)).isZero();
        assertThat(limiter.tryAcquire("k", 5)).isZero();
        assertThat(limiter.tryAcquire("k", 10)).isEqualTo(1); // 10 tokens at 10/s
        advanceMillis(500);
        assertThat(limiter.tryAcquire("k", 10)).isEqualTo(1); // 5 there, 5 more in 0.5 s: rounded up
        advanceMillis(500);
        assertThat(limiter.tryAcquire("k", 10)).isZero();
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(1, 2, nanos::get);
        assertThat(limiter.tryAcquire("a", 2)).isZero();
        assertThat(limiter.tryAcquire("a", 1)).isPositive();
        assertThat(limiter.tryAcquire("b", 2)).isZero();
    }

    @Test
    void aBatchLargerThanTheBurstNeedsAFullBucketAndLeavesADebt() {
        RateLimiter limiter = new RateLimiter(100, 50, nanos::get);
        assertThat(limiter.tryAcquire("k", 200)).isZero();
        advanceMillis(1_000); // +100 tokens, back to -50
        assertThat(limiter.tryAcquire("k", 1)).isEqualTo(1);
        advanceMillis(600);
        assertThat(limiter.tryAcquire("k", 1)).isZero();
    }

    @Test
    void zeroRateDisablesLimiting() {
        RateLimiter limiter = new RateLimiter(0, 1, nanos::get);
        assertThat(limiter.enabled()).isFalse();
        assertThat(limiter.tryAcquire("k", 1_000_000)).isZero();
    }
}
