package io.quintet.metrics;

import java.util.Locale;

/** What a metric series is keyed by. */
public enum MetricDimension {
    /** The full action name, {@code billing.invoice.created}. */
    ACTION,
    /** The event's source. */
    SOURCE,
    /** The roll-up of every action of one domain, {@code billing.*}. */
    DOMAIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The store / repartition key of a series of this dimension: {@code action:billing.invoice.created}. */
    public String key(String value) {
        return id() + ":" + value;
    }

    public static MetricDimension fromId(String id) {
        for (MetricDimension d : values()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown metric dimension '" + id + "' (known: action, source, domain)");
    }
}
