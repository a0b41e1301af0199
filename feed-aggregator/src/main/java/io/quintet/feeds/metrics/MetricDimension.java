package io.quintet.feeds.metrics;

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

    /**
     * The store / repartition key of an organisation's own series ({@code metrics.per.organization}):
     * {@code @org-acme|action:billing.invoice.created}. No dimension id starts with {@code @} and an organisation id
     * holds no {@code |}, so both parts are read back unambiguously ({@link #organizationOf}, {@link #withoutOrganization}).
     */
    public static String organizationKey(String organization, String key) {
        return ORGANIZATION_MARK + organization + ORGANIZATION_END + key;
    }

    /** The organisation of a store key, or null for a series over every organisation. */
    public static String organizationOf(String storeKey) {
        return storeKey.startsWith(ORGANIZATION_MARK)
                ? storeKey.substring(1, storeKey.indexOf(ORGANIZATION_END))
                : null;
    }

    /** The store key without its organisation part: {@code action:billing.invoice.created}. */
    public static String withoutOrganization(String storeKey) {
        return storeKey.startsWith(ORGANIZATION_MARK)
                ? storeKey.substring(storeKey.indexOf(ORGANIZATION_END) + 1)
                : storeKey;
    }

    private static final String ORGANIZATION_MARK = "@";
    private static final char ORGANIZATION_END = '|';

    public static MetricDimension fromId(String id) {
        for (MetricDimension d : values()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown metric dimension '" + id + "' (known: action, source, domain)");
    }
}
