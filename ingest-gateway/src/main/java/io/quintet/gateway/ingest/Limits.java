package io.quintet.gateway.ingest;

import io.quintet.model.limits.EventLimits;
import java.time.Duration;

/**
 * Edge limits, all configurable.
 *
 * @param event                  the limits every event on {@code events.raw} meets, shared with the enricher (event-model's
 *                               {@link EventLimits}): record size, analytics properties, attributes
 * @param maxPropertiesPerObject properties of any one JSON object inside an event (the gateway's own guard on parsing)
 * @param maxDepth               nesting depth of objects and arrays (the event object itself is depth 1)
 * @param maxBatchEvents         events in one request
 * @param maxBodyBytes           request body
 * @param futureTolerance        how far {@code event_timestamp} may be ahead of the gateway's clock
 * @param maxAge                 how far {@code event_timestamp} may be behind the gateway's clock
 */
public record Limits(
        EventLimits event,
        int maxPropertiesPerObject,
        int maxDepth,
        int maxBatchEvents,
        long maxBodyBytes,
        Duration futureTolerance,
        Duration maxAge) {

    public static Limits defaults() {
        return new Limits(EventLimits.DEFAULTS, 255, 16, 2_000, 20L << 20, Duration.ofHours(1), Duration.ofDays(7));
    }

    /** The largest record the gateway writes (value plus headers). */
    public int maxEventBytes() {
        return event.maxRecordBytes();
    }
}
