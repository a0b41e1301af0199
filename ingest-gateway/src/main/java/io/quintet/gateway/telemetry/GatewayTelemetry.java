package io.quintet.gateway.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quintet.gateway.ingest.BatchOutcome;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.ItemResult;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The gateway's OpenTelemetry instruments, recorded through the OpenTelemetry API (the SDK and exporter are the
 * deployer's choice; {@code GatewayMain} serves metrics in Prometheus format):
 * <ul>
 *   <li>{@code quintet.gateway.events.accepted} (counter, by endpoint);</li>
 *   <li>{@code quintet.gateway.events.rejected} (counter, by endpoint and reason = error code, and for events refused
 *       one by one, by {@code write_key}: the producer whose events they were; key ids are few, from configuration);</li>
 *   <li>{@code quintet.gateway.request.duration} (histogram, seconds, by endpoint and HTTP status);</li>
 *   <li>a SERVER span per request (child of the caller's W3C {@code traceparent}) and a PRODUCER span per publish.</li>
 * </ul>
 */
public final class GatewayTelemetry {
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("endpoint");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> WRITE_KEY = AttributeKey.stringKey("write_key");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<Long> BATCH = AttributeKey.longKey("messaging.batch.message_count");

    private final Tracer tracer;
    private final LongCounter accepted;
    private final LongCounter rejected;
    private final DoubleHistogram duration;
    private final ConcurrentMap<String, EndpointAttributes> attributeSets = new ConcurrentHashMap<>();

    public GatewayTelemetry(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.quintet.gateway");
        Meter meter = otel.getMeter("io.quintet.gateway");
        this.accepted = meter.counterBuilder("quintet.gateway.events.accepted")
                .setDescription("events acknowledged by Kafka")
                .setUnit("{event}")
                .build();
        this.rejected = meter.counterBuilder("quintet.gateway.events.rejected")
                .setDescription("events refused, by reason")
                .setUnit("{event}")
                .build();
        this.duration = meter.histogramBuilder("quintet.gateway.request.duration")
                .setDescription("time from request received to response sent")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(
                        List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
                .build();
    }

    public static GatewayTelemetry noop() {
        return new GatewayTelemetry(OpenTelemetry.noop());
    }

    /** Starts the request's SERVER span, continuing the caller's trace when it sent a valid traceparent. */
    public Span startRequestSpan(String route, Function<String, String> headers) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER);
        return tracer.spanBuilder("POST " + route)
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAttribute(ENDPOINT, route)
                .startSpan();
    }

    /** Starts a PRODUCER span for publishing a request's {@code count} events, child of the request span. */
    public Span startPublishSpan(Span request, int count) {
        return tracer.spanBuilder("publish")
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(Context.root().with(request))
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(BATCH, (long) count)
                .startSpan();
    }

    /** Counts every item of an outcome: one addition per request and reason, not per item. */
    public void record(String endpoint, BatchOutcome outcome) {
        record(endpoint, null, outcome);
    }

    /** As {@link #record(String, BatchOutcome)}, rejections also by the write key that sent them (null: none). */
    public void record(String endpoint, String writeKey, BatchOutcome outcome) {
        long acceptedItems = 0;
        Map<ErrorCode, Long> rejections = null;
        for (ItemResult r : outcome.results()) {
            if (r.accepted()) {
                acceptedItems++;
            } else {
                if (rejections == null) {
                    rejections = new EnumMap<>(ErrorCode.class);
                }
                rejections.merge(r.rejection().code(), 1L, Long::sum);
            }
        }
        if (acceptedItems > 0) {
            accepted.add(acceptedItems, attributes(endpoint, null, 0));
        }
        if (rejections != null) {
            rejections.forEach((code, n) -> rejected.add(
                    n,
                    writeKey == null
                            ? attributes(endpoint, code, 0)
                            : attributeSets
                                    .computeIfAbsent(endpoint, EndpointAttributes::new)
                                    .byKey
                                    .computeIfAbsent(
                                            writeKey + "\n" + code.code(),
                                            k -> Attributes.of(
                                                    ENDPOINT, endpoint, REASON, code.code(), WRITE_KEY, writeKey))));
        }
    }

    /** Counts a whole request refused before its items were looked at, as {@code items} rejections. */
    public void recordRequestRejected(String endpoint, ErrorCode code, int items) {
        rejected.add(Math.max(1, items), attributes(endpoint, code, 0));
    }

    public void recordDuration(String endpoint, int status, long nanos) {
        duration.record(nanos / 1e9, attributes(endpoint, null, status));
    }

    /** The attribute sets are few (endpoints x reasons, endpoints x statuses): built once, not per request. */
    private Attributes attributes(String endpoint, ErrorCode reason, int status) {
        EndpointAttributes e = attributeSets.computeIfAbsent(endpoint, EndpointAttributes::new);
        return reason != null
                ? e.reasons.computeIfAbsent(reason, r -> Attributes.of(ENDPOINT, endpoint, REASON, r.code()))
                : status != 0
                        ? e.statuses.computeIfAbsent(status, st -> Attributes.of(ENDPOINT, endpoint, STATUS, (long) st))
                        : e.endpoint;
    }

    private static final class EndpointAttributes {
        final Attributes endpoint;
        final ConcurrentMap<ErrorCode, Attributes> reasons = new ConcurrentHashMap<>();
        final ConcurrentMap<Integer, Attributes> statuses = new ConcurrentHashMap<>();
        /** Per write key id and reason code. */
        final ConcurrentMap<String, Attributes> byKey = new ConcurrentHashMap<>();

        EndpointAttributes(String endpoint) {
            this.endpoint = Attributes.of(ENDPOINT, endpoint);
        }
    }

    public static void end(Span span, int status) {
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    private static final TextMapGetter<Function<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return Collections.unmodifiableList(List.of("traceparent", "tracestate"));
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };
}
