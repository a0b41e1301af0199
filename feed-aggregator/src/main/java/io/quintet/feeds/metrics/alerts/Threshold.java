package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.core.JsonPointer;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When a rule fires, evaluated on the counts of one group in one window:
 * <ul>
 *   <li>{@code COUNT}: at least {@code atLeast} matching events;</li>
 *   <li>{@code FAILURE_RATE}: at least {@code minCount} events, of which more than {@code above} (a fraction) failed;</li>
 *   <li>{@code SUM}: the sum of a numeric field (JSON pointer) over the matching events reaches {@code atLeast}.</li>
 * </ul>
 */
public record Threshold(Kind kind, BigDecimal atLeast, double above, long minCount, String sumField) {

    public enum Kind {
        COUNT,
        FAILURE_RATE,
        SUM
    }

    public static Threshold count(long atLeast) {
        return new Threshold(Kind.COUNT, BigDecimal.valueOf(atLeast), 0, 0, null);
    }

    public static Threshold failureRate(double above, long minCount) {
        return new Threshold(Kind.FAILURE_RATE, null, above, minCount, null);
    }

    public static Threshold sum(String field, BigDecimal atLeast) {
        return new Threshold(Kind.SUM, atLeast, 0, 0, field);
    }

    JsonPointer sumPointer() {
        return JsonPointer.compile(sumField);
    }

    boolean met(WindowCounts c) {
        return switch (kind) {
            case COUNT -> BigDecimal.valueOf(c.count()).compareTo(atLeast) >= 0;
            case FAILURE_RATE -> c.count() >= minCount && c.failureRate() > above;
            case SUM -> c.sum().compareTo(atLeast) >= 0;
        };
    }

    /** The figure the threshold is compared with. */
    Object observed(WindowCounts c) {
        return switch (kind) {
            case COUNT -> c.count();
            case FAILURE_RATE -> c.failureRate();
            case SUM -> c.sum();
        };
    }

    /** The definition as it appears in alert events and in the rule fingerprint. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        switch (kind) {
            case COUNT -> m.put("at_least", atLeast);
            case FAILURE_RATE -> {
                m.put("above", above);
                m.put("min_count", minCount);
            }
            case SUM -> {
                m.put("field", sumField);
                m.put("at_least", atLeast);
            }
        }
        return m;
    }
}
