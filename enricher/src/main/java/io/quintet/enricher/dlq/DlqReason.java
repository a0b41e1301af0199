package io.quintet.enricher.dlq;

import java.util.Locale;

/**
 * Why a record was dead-lettered. {@link #code()} is the lower snake-case form written to the
 * {@value DeadLetters#REASON} header and the body's {@code reason} field; consumers route on it, never on message text.
 */
public enum DlqReason {
    /** The event does not satisfy the canonical JSON Schema or the Domain.Entity.Action rule (JSON pointers given). */
    SCHEMA_VIOLATION,
    /** The record or one of its parts exceeds a configured size limit. */
    SIZE_VIOLATION,
    /** The event breaks the tracking plan (unplanned event under a reject policy, missing or mistyped property). */
    TRACKING_PLAN_VIOLATION,
    /** Not a CloudEvent, not JSON, or a record that cannot be read at all. */
    UNPARSEABLE,
    /** A valid event whose enrichment failed unexpectedly (an exception in dedup, privacy or stamping). */
    ENRICHMENT_FAILURE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DlqReason fromCode(String code) {
        for (DlqReason r : values()) {
            if (r.code().equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown DLQ reason '" + code + "'");
    }
}
