package io.quintet.model.otel;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} value: {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}.
 * Carried from the HTTP header, through the CloudEvents {@code traceparent} extension, into Kafka headers.
 */
public record TraceParent(String traceId, String spanId, String flags) {
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern FLAGS = Pattern.compile("[0-9a-f]{2}");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);

    /** Trace and span ids from telemetry, sampled; empty when either is not a valid W3C id. */
    public static Optional<TraceParent> of(String traceId, String spanId) {
        if (!valid(traceId, spanId, "01")) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(traceId, spanId, "01"));
    }

    /** Parses a header value; empty for anything that is not a valid version-00 traceparent. */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.trim().split("-", -1);
        if (parts.length < 4 || !"00".equals(parts[0]) || !valid(parts[1], parts[2], parts[3])) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(parts[1], parts[2], parts[3]));
    }

    private static boolean valid(String traceId, String spanId, String flags) {
        return traceId != null
                && spanId != null
                && flags != null
                && TRACE_ID.matcher(traceId).matches()
                && !INVALID_TRACE.equals(traceId)
                && SPAN_ID.matcher(spanId).matches()
                && !INVALID_SPAN.equals(spanId)
                && FLAGS.matcher(flags).matches();
    }

    public boolean sampled() {
        return (Integer.parseInt(flags, 16) & 1) == 1;
    }

    @Override
    public String toString() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }
}
