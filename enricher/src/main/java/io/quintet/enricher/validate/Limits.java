package io.quintet.enricher.validate;

/**
 * Size limits on raw records and events. A record over a limit is dead-lettered as {@code size_violation}.
 *
 * @param maxRecordBytes value plus header bytes of one raw record (checked before anything is parsed)
 * @param maxProperties  entries of {@code context.domain_specific.analytics.properties}
 * @param maxAttributes  entries of {@code context.attributes}
 */
public record Limits(int maxRecordBytes, int maxProperties, int maxAttributes) {
    public static final Limits DEFAULTS = new Limits(256 * 1024, 200, 200);

    public Limits {
        if (maxRecordBytes < 1 || maxProperties < 0 || maxAttributes < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxRecordBytes + ", " + maxProperties + ", " + maxAttributes);
        }
    }
}
