package io.quintet.model.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The type of a planned property, as written in the tracking plan ({@code "type": "integer"}). */
public enum PropertyType {
    STRING,
    NUMBER,
    INTEGER,
    BOOLEAN,
    OBJECT,
    ARRAY,
    /** An RFC 3339 date-time string. */
    DATE_TIME;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PropertyType fromCode(String code) {
        for (PropertyType t : values()) {
            if (t.code().equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown property type '" + code
                + "' (known: string, number, integer, boolean, object, array, date_time)");
    }

    /** Whether a JSON value (as Jackson maps it: String, Integer/Long/BigInteger, BigDecimal, Boolean, Map, List) fits. */
    public boolean accepts(Object v) {
        return switch (this) {
            case STRING -> v instanceof String;
            case NUMBER -> v instanceof Number;
            case INTEGER ->
                v instanceof Integer
                        || v instanceof Long
                        || v instanceof BigInteger
                        || v instanceof Short
                        || (v instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0);
            case BOOLEAN -> v instanceof Boolean;
            case OBJECT -> v instanceof Map;
            case ARRAY -> v instanceof List;
            case DATE_TIME -> v instanceof String s && isDateTime(s);
        };
    }

    private static boolean isDateTime(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
