package io.quintet.enricher.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.quintet.enricher.dlq.DeadLetterCounter;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.otel.TraceParent;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The enricher's OpenTelemetry instruments, through opentelemetry-api only (the SDK and exporter are the deployer's
 * choice): one span per raw record around its whole processing, linked to the record's incoming W3C
 * {@code traceparent}, and a counter per outcome ({@value #RECORDS} with {@code outcome} = canonical, duplicate or
 * dead_lettered, and {@code reason} for dead letters), and {@value #DEAD_LETTERS} by reason and by the event's
 * CloudEvents source ({@code unknown} when the record could not be read that far; at most {@value #MAX_SOURCES}
 * sources per reason, later ones count as {@code other}: producers choose sources, the metric's size must not be
 * theirs to choose). Attribute sets are built once per reason and source, so counting allocates nothing.
 */
public final class EnricherTelemetry implements DeadLetterCounter {
    /** Streams config key under which the application hands this object to the exception handlers. */
    public static final String CONFIG_KEY = DeadLetterCounter.CONFIG_KEY;

    public static final String RECORDS = "quintet.enricher.records";
    public static final String FLAGGED = "quintet.enricher.tracking_plan.flagged";
    public static final String DEAD_LETTERS = "quintet.enricher.dead_letters";
    public static final AttributeKey<String> SOURCE = AttributeKey.stringKey("quintet.source");
    public static final int MAX_SOURCES = 100;
    static final String UNKNOWN_SOURCE = "unknown";
    static final String OTHER_SOURCES = "other";
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("quintet.outcome");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("quintet.dlq.reason");
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.destination.partition.id.num");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("quintet.action.name");

    private static final Attributes CANONICAL = Attributes.of(OUTCOME, "canonical");
    private static final Attributes DUPLICATE = Attributes.of(OUTCOME, "duplicate");

    private final Tracer tracer;
    private final LongCounter records;
    private final LongCounter flagged;
    private final LongCounter deadLetters;
    private final Map<DlqReason, Attributes> deadLetteredOutcome = new EnumMap<>(DlqReason.class);
    private final Map<DlqReason, Map<String, Attributes>> deadLetterSources = new EnumMap<>(DlqReason.class);

    public EnricherTelemetry(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.quintet.enricher");
        var meter = otel.getMeter("io.quintet.enricher");
        this.records = meter.counterBuilder(RECORDS)
                .setUnit("{record}")
                .setDescription("raw records by outcome: canonical, duplicate, dead_lettered (with reason)")
                .build();
        this.flagged = meter.counterBuilder(FLAGGED)
                .setUnit("{event}")
                .setDescription("events outside the tracking plan let through with a flag")
                .build();
        this.deadLetters = meter.counterBuilder(DEAD_LETTERS)
                .setUnit("{record}")
                .setDescription("records dead-lettered, by reason and by the event's CloudEvents source")
                .build();
        for (DlqReason r : DlqReason.values()) {
            deadLetteredOutcome.put(r, Attributes.of(OUTCOME, "dead_lettered", REASON, r.code()));
            deadLetterSources.put(r, new ConcurrentHashMap<>());
        }
    }

    public static EnricherTelemetry noop() {
        return new EnricherTelemetry(OpenTelemetry.noop());
    }

    /** Starts the span of one raw record, linked to its incoming trace context when the headers carry one. */
    public Span startRecordSpan(String topic, int partition, long offset, Headers headers) {
        SpanBuilder b = tracer.spanBuilder("enrich " + topic)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(PARTITION, (long) partition)
                .setAttribute(OFFSET, offset);
        incomingTraceParent(headers).ifPresent(tp -> b.addLink(remote(tp)));
        return b.startSpan();
    }

    /** Links the span to the event's own trace context (structured-mode events carry it in the data). */
    public void linkEvent(Span span, CanonicalEvent event, boolean alreadyLinked) {
        if (event.action() != null && event.action().name() != null) {
            span.setAttribute(EVENT_TYPE, event.action().name());
        }
        if (!alreadyLinked) {
            CloudEventMapper.traceParentOf(event).ifPresent(tp -> span.addLink(remote(tp)));
        }
    }

    public void canonical() {
        records.add(1, CANONICAL);
        Span.current().setAttribute(OUTCOME, "canonical");
    }

    public void duplicate() {
        records.add(1, DUPLICATE);
        Span.current().setAttribute(OUTCOME, "duplicate");
    }

    public void deadLettered(DlqReason reason) {
        deadLettered(reason, null);
    }

    /** @param source the event's CloudEvents source, null when the record could not be read that far */
    @Override
    public void deadLettered(DlqReason reason, String source) {
        records.add(1, deadLetteredOutcome.get(reason));
        deadLetters.add(1, sourceAttributes(reason, source == null || source.isBlank() ? UNKNOWN_SOURCE : source));
        Span.current().setAttribute(OUTCOME, "dead_lettered").setAttribute(REASON, reason.code());
    }

    private Attributes sourceAttributes(DlqReason reason, String source) {
        Map<String, Attributes> bySource = deadLetterSources.get(reason);
        Attributes a = bySource.get(source);
        if (a != null) {
            return a;
        }
        String kept = bySource.size() < MAX_SOURCES ? source : OTHER_SOURCES;
        return bySource.computeIfAbsent(kept, s -> Attributes.of(REASON, reason.code(), SOURCE, s));
    }

    public void flaggedUnplanned() {
        flagged.add(1);
    }

    /** The W3C trace context from the CloudEvents binary-mode header, or a plain {@code traceparent} header. */
    public static Optional<TraceParent> incomingTraceParent(Headers headers) {
        if (headers == null) {
            return Optional.empty();
        }
        for (String name : new String[] {"ce_" + CloudEventMapper.TRACEPARENT, CloudEventMapper.TRACEPARENT}) {
            Header h = headers.lastHeader(name);
            if (h != null && h.value() != null) {
                Optional<TraceParent> tp = TraceParent.parse(new String(h.value(), StandardCharsets.UTF_8));
                if (tp.isPresent()) {
                    return tp;
                }
            }
        }
        return Optional.empty();
    }

    private static SpanContext remote(TraceParent tp) {
        return SpanContext.createFromRemoteParent(
                tp.traceId(),
                tp.spanId(),
                tp.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                TraceState.getDefault());
    }
}
