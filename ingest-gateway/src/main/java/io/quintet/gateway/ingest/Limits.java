package io.quintet.gateway.ingest;

import java.time.Duration;

/**
 * Edge limits, all configurable.
 *
 * @param maxEventBytes        one event, serialized as canonical JSON
 * @param maxPropertiesPerObject properties of any one JSON object inside an event
 * @param maxDepth             nesting depth of objects and arrays (the event object itself is depth 1)
 * @param maxBatchEvents       events in one request
 * @param maxBodyBytes         request body
 * @param futureTolerance      how far {@code event_timestamp} may be ahead of the gateway's clock
 * @param maxAge               how far {@code event_timestamp} may be behind the gateway's clock
 */
public record Limits(int maxEventBytes, int maxPropertiesPerObject, int maxDepth, int maxBatchEvents,
                     long maxBodyBytes, Duration futureTolerance, Duration maxAge) {

    public static Limits defaults() {
        return new Limits(1 << 20, 255, 16, 2_000, 20L << 20, Duration.ofHours(1), Duration.ofDays(7));
    }
}
