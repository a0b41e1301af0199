package io.quintet.audit.checkpoint;

import java.time.Duration;

/**
 * When a checkpoint closes: after {@code everyEvents} events, or once the open range is {@code every} old
 * (whichever comes first; a range is never closed empty).
 */
public record CheckpointPolicy(long everyEvents, Duration every) {

    public CheckpointPolicy {
        if (everyEvents < 1) {
            throw new IllegalArgumentException("checkpoint every-events must be >= 1");
        }
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive");
        }
    }

    public static CheckpointPolicy of(long everyEvents, Duration every) {
        return new CheckpointPolicy(everyEvents, every);
    }
}
