package io.quintet.gateway.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Per-write-key token buckets counting events (a batch of 100 takes 100 tokens). A request that would overdraw the
 * bucket takes nothing and is told how long to wait. A batch larger than the burst is granted from a full bucket and
 * leaves the bucket in debt, so the average rate still holds. Thread-safe.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond events per second each key may send on average; 0 or less disables limiting
     * @param burst     how many events a key may send at once (bucket size)
     */
    public RateLimiter(double perSecond, long burst, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanoClock = nanoClock;
    }

    public RateLimiter(double perSecond, long burst) {
        this(perSecond, burst, System::nanoTime);
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /**
     * Takes {@code events} tokens from the key's bucket. Returns 0 when granted, otherwise the whole seconds to wait
     * before the same request could be granted (at least 1).
     */
    public long tryAcquire(String keyId, int events) {
        if (!enabled()) {
            return 0;
        }
        Bucket b = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, nanoClock.getAsLong()));
        synchronized (b) {
            long now = nanoClock.getAsLong();
            b.tokens = Math.min(burst, b.tokens + (now - b.lastRefill) / 1e9 * perSecond);
            b.lastRefill = now;
            double required =
                    Math.min(events, burst); // a batch larger than the burst needs a full bucket and leaves a debt
            if (b.tokens >= required) {
                b.tokens -= events;
                return 0;
            }
            double needed = required - b.tokens;
            return Math.max(1, (long) Math.ceil(needed / perSecond));
        }
    }

    private static final class Bucket {
        double tokens;
        long lastRefill;

        Bucket(double tokens, long lastRefill) {
            this.tokens = tokens;
            this.lastRefill = lastRefill;
        }
    }
}
