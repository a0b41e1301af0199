package io.quintet.gateway.ingest;

import java.util.Objects;

/**
 * A request-level refusal (authentication, rate limit, malformed body, Kafka unavailable...). The HTTP layer answers
 * with {@link ErrorCode#httpStatus()}; {@link #retryAfterSeconds()} becomes a {@code Retry-After} header.
 */
public class GatewayException extends RuntimeException {
    private final transient Rejection rejection;
    private final long retryAfterSeconds;

    public GatewayException(Rejection rejection, long retryAfterSeconds, Throwable cause) {
        super(rejection.message(), cause);
        this.rejection = Objects.requireNonNull(rejection);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public GatewayException(ErrorCode code, String message) {
        this(Rejection.of(code, message), 0, null);
    }

    public static GatewayException retryLater(ErrorCode code, String message, long retryAfterSeconds, Throwable cause) {
        return new GatewayException(Rejection.of(code, message), retryAfterSeconds, cause);
    }

    public Rejection rejection() {
        return rejection;
    }

    public ErrorCode code() {
        return rejection.code();
    }

    /** Seconds the client should wait before retrying; 0 when no {@code Retry-After} applies. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
