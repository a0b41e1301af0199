package io.quintet.model.limits;

import io.quintet.model.CanonicalEvent;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The limits every event on {@code events.raw} must meet, defined once for every service that checks them: the
 * gateway refuses at the edge (4xx) exactly what the enricher would dead-letter, so no event is answered 202 and
 * then rejected where its producer cannot see it.
 * <p>
 * Both services define the same settings with {@link #define(ConfigDef)} (names, defaults and documentation from
 * here) and run the same checks ({@link #checkRecord}, {@link #checkEvent}) on the same measure: the size is that of
 * the Kafka record as written to {@code events.raw} (value plus header names and values), which the gateway knows
 * once it has serialized the record and the enricher reads.
 *
 * @param maxRecordBytes value plus header bytes of one record on {@code events.raw}
 * @param maxProperties  entries of {@code context.domain_specific.analytics.properties}
 * @param maxAttributes  entries of {@code context.attributes}
 */
public record EventLimits(int maxRecordBytes, int maxProperties, int maxAttributes) {
    public static final String MAX_RECORD_BYTES = "limits.event.max.bytes";
    public static final String MAX_PROPERTIES = "limits.event.max.properties";
    public static final String MAX_ATTRIBUTES = "limits.event.max.attributes";

    /** 256 KiB: below the broker's default {@code max.message.bytes} (1 MiB) with room for the enriched event. */
    public static final EventLimits DEFAULTS = new EventLimits(256 * 1024, 200, 200);

    public static final String PROPERTIES_POINTER = "/context/domain_specific/analytics/properties";
    public static final String ATTRIBUTES_POINTER = "/context/attributes";

    public EventLimits {
        if (maxRecordBytes < 1 || maxProperties < 0 || maxAttributes < 0) {
            throw new IllegalArgumentException(
                    "limits must be positive: " + maxRecordBytes + ", " + maxProperties + ", " + maxAttributes);
        }
    }

    /** What broke a limit; {@code cause} is the dead letter's cause and the gateway's error detail. */
    public enum Kind {
        RECORD_TOO_LARGE("record_too_large", "maxRecordBytes"),
        TOO_MANY_PROPERTIES("too_many_properties", "maxProperties"),
        TOO_MANY_ATTRIBUTES("too_many_attributes", "maxAttributes");

        private final String cause;
        private final String keyword;

        Kind(String cause, String keyword) {
            this.cause = cause;
            this.keyword = keyword;
        }

        public String cause() {
            return cause;
        }

        /** The name of the limit, as the dead letter's violation keyword. */
        public String keyword() {
            return keyword;
        }
    }

    /** One broken limit, where it is and by how much; the message quotes no event content. */
    public record Violation(Kind kind, String pointer, long actual, long limit, String message) {}

    /** Adds the three settings with their defaults and documentation. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        MAX_RECORD_BYTES,
                        ConfigDef.Type.INT,
                        DEFAULTS.maxRecordBytes(),
                        ConfigDef.Range.atLeast(1_024),
                        ConfigDef.Importance.MEDIUM,
                        "largest event: its record on events.raw, value plus headers, in bytes "
                                + "(the gateway and the enricher must have the same value)")
                .define(
                        MAX_PROPERTIES,
                        ConfigDef.Type.INT,
                        DEFAULTS.maxProperties(),
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "most analytics properties per event (the gateway and the enricher must "
                                + "have the same value)")
                .define(
                        MAX_ATTRIBUTES,
                        ConfigDef.Type.INT,
                        DEFAULTS.maxAttributes(),
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "most context.attributes per event (the gateway and the enricher must "
                                + "have the same value)");
    }

    /** The limits from values parsed with a {@link ConfigDef} that {@link #define} was applied to. */
    public static EventLimits from(Map<String, ?> values) {
        return new EventLimits((Integer) values.get(MAX_RECORD_BYTES), (Integer) values.get(MAX_PROPERTIES), (Integer)
                values.get(MAX_ATTRIBUTES));
    }

    /** The record's size as the limit measures it: value plus every header's name (as UTF-8) and value. */
    public static int recordBytes(Headers headers, byte[] value) {
        int size = value == null ? 0 : value.length;
        if (headers != null) {
            for (Header h : headers) {
                size += utf8Length(h.key()) + (h.value() == null ? 0 : h.value().length);
            }
        }
        return size;
    }

    /** The size check on a record about to be written to, or read from, {@code events.raw}; null when within. */
    public Violation checkRecord(Headers headers, byte[] value) {
        int size = recordBytes(headers, value);
        if (size > maxRecordBytes) {
            return new Violation(
                    Kind.RECORD_TOO_LARGE,
                    "/",
                    size,
                    maxRecordBytes,
                    "event is " + size + " bytes as a record (value and headers); the limit is " + maxRecordBytes);
        }
        return null;
    }

    /** The checks on the event's free-form maps; null when within. */
    public Violation checkEvent(CanonicalEvent e) {
        Map<String, Object> props = e.contextOrEmpty().analyticsProperties();
        if (props.size() > maxProperties) {
            return new Violation(
                    Kind.TOO_MANY_PROPERTIES,
                    PROPERTIES_POINTER,
                    props.size(),
                    maxProperties,
                    "event has " + props.size() + " analytics properties; the limit is " + maxProperties);
        }
        Map<String, Object> attributes = e.contextOrEmpty().attributes();
        if (attributes != null && attributes.size() > maxAttributes) {
            return new Violation(
                    Kind.TOO_MANY_ATTRIBUTES,
                    ATTRIBUTES_POINTER,
                    attributes.size(),
                    maxAttributes,
                    "event has " + attributes.size() + " attributes; the limit is " + maxAttributes);
        }
        return null;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
