package io.quintet.sink.write;

import java.time.Duration;
import java.util.Objects;

/**
 * When a micro-batch closes: after {@code maxRecords} records, {@code maxBytes} bytes, once its events span
 * {@code maxEventTimeSpan} of event time, or {@code maxAge} of wall-clock time after its first record.
 * <p>
 * Every rule is safe for exactly-once: a batch commits the exact Kafka offset range it covers together with its
 * data files, so where a batch ends only changes file sizes, never which rows the table holds.
 */
public record BatchPolicy(int maxRecords, long maxBytes, Duration maxEventTimeSpan, Duration maxAge) {

    public BatchPolicy {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxRecords and maxBytes must be positive");
        }
        Objects.requireNonNull(maxEventTimeSpan, "maxEventTimeSpan");
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /** The reason a batch with these figures should close now, or null while it may grow. */
    public CloseReason reasonToClose(int records, long bytes, long eventTimeSpanMillis, long ageMillis) {
        if (records == 0) {
            return null;
        }
        if (records >= maxRecords) {
            return CloseReason.RECORDS;
        }
        if (bytes >= maxBytes) {
            return CloseReason.BYTES;
        }
        if (eventTimeSpanMillis >= maxEventTimeSpan.toMillis()) {
            return CloseReason.EVENT_TIME;
        }
        if (ageMillis >= maxAge.toMillis()) {
            return CloseReason.AGE;
        }
        return null;
    }

    /** Why a batch was closed. */
    public enum CloseReason {
        RECORDS,
        BYTES,
        EVENT_TIME,
        AGE,
        REBALANCE,
        SHUTDOWN
    }
}
