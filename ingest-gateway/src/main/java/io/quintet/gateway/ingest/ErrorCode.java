package io.quintet.gateway.ingest;

import java.util.Locale;

/**
 * Every way the gateway can refuse a request or an event, each with its HTTP status and the stable code clients see
 * in the response body. The status is chosen from this type, never from exception text.
 */
public enum ErrorCode {
    /** The body (or an NDJSON line) is not well-formed JSON; the message gives line and column. */
    MALFORMED_JSON(400),
    /** A CloudEvents request the CloudEvents SDK could not read (missing or invalid attributes, bad envelope). */
    INVALID_CLOUDEVENT(400),
    /** Well-formed JSON that is not a valid event: schema violations, missing required fields, wrong types. */
    INVALID_EVENT(422),
    /** {@code action.name} (after Segment aliasing) is not Domain.Entity.Action. */
    INVALID_ACTION_NAME(422),
    /** A CloudEvents attribute contradicts the canonical data (id, source, type, time). */
    ENVELOPE_MISMATCH(422),
    /** An object in the event, or its analytics properties, has more properties than the configured limit. */
    TOO_MANY_PROPERTIES(422),
    /** {@code context.attributes} has more entries than the configured limit. */
    TOO_MANY_ATTRIBUTES(422),
    /** The event nests objects/arrays deeper than the configured limit. */
    TOO_DEEP(422),
    /** Strict mode: the event breaks the tracking plan (the violations the enricher's dead letter would carry). */
    TRACKING_PLAN_VIOLATION(422),
    /** {@code event_timestamp} is too far in the future or older than the configured age. */
    TIMESTAMP_OUT_OF_RANGE(422),
    /** One event's record (value and headers, as written to Kafka) is larger than the configured limit. */
    EVENT_TOO_LARGE(413),
    /** The batch holds more events than the configured limit. */
    BATCH_TOO_LARGE(413),
    /** The request body is larger than the configured limit. */
    BODY_TOO_LARGE(413),
    /** The content type is not one the endpoint reads. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** No write key, or one the gateway does not know. */
    UNAUTHENTICATED(401),
    /** The write key may not publish events of this {@code source}. */
    FORBIDDEN_SOURCE(403),
    /** The write key is bound to one organisation and the event names another in {@code organization_id}. */
    FORBIDDEN_ORGANIZATION(403),
    /** The write key may not call this endpoint (e.g. erasure requests). */
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    /** The write key exceeded its event rate; retry after the {@code Retry-After} header. */
    RATE_LIMITED(429),
    /** Kafka is unreachable, the producer's buffer is full, or delivery timed out: nothing was acknowledged. */
    UNAVAILABLE(503),
    /** The gateway is shutting down and takes no new requests. */
    SHUTTING_DOWN(503),
    /** An unexpected failure; the event was not acknowledged. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The lower snake-case code used in response bodies and metric labels. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the client should retry the same request later. */
    public boolean retriable() {
        return httpStatus == 503 || httpStatus == 429;
    }
}
