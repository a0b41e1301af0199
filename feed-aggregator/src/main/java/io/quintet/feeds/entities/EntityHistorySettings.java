package io.quintet.feeds.entities;

import java.time.Duration;

/**
 * The hot tier's per-entity history ({@code GET /v1/entities/{type}/{id}/events}).
 *
 * @param enabled   whether the sub-topology runs at all ({@code entity.history.enabled}); off, nothing is repartitioned
 *                  or stored and the endpoint answers 404 saying so
 * @param maxEvents the newest events kept per entity ({@code entity.history.max.events}); older ones are in the warm
 *                  store
 * @param retention events older than this (event time, against the task's stream time) are dropped
 *                  ({@code entity.history.retention})
 */
public record EntityHistorySettings(boolean enabled, int maxEvents, Duration retention) {
    /** The store of the events, keyed by entity, event time and event id. */
    public static final String EVENTS_STORE = "entity-history";
    /** Per entity: how many events are held and the key of the oldest. */
    public static final String META_STORE = "entity-history-meta";
    /** The events in event-time order, for the retention sweep. */
    public static final String EXPIRY_STORE = "entity-history-expiry";
    /** The repartition topic (internal): canonical events keyed by entity. */
    public static final String REPARTITION = "entity-history-by-entity";

    public EntityHistorySettings {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("entity history max events must be at least 1, was " + maxEvents);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("entity history retention must be positive, was " + retention);
        }
    }

    /** Switched on, with the default size and retention (the service itself has it off unless configured). */
    public static EntityHistorySettings enabledWithDefaults() {
        return new EntityHistorySettings(true, 50, Duration.ofDays(7));
    }

    public static EntityHistorySettings disabled() {
        return new EntityHistorySettings(false, 50, Duration.ofDays(7));
    }

    /** How often (stream time) events past the retention are swept: a tenth of it, at most a minute. */
    public Duration sweepInterval() {
        Duration d = retention.dividedBy(10);
        Duration max = Duration.ofMinutes(1);
        return d.compareTo(max) > 0 ? max : (d.isZero() ? Duration.ofMillis(1) : d);
    }
}
