package io.quintet.sink.app;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.ObservableDoubleGauge;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.quintet.model.otel.TraceParent;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.DataFile;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink's micro-batch metrics through OpenTelemetry, as a {@link SinkListener} (it runs on the writer thread, one
 * batch at a time):
 * <ul>
 *   <li>{@value #BATCH_DURATION} (seconds): from the batch's close to its table commit (Parquet written, then
 *       committed), and {@value #COMMIT_DURATION}: the table commit alone (retries included);</li>
 *   <li>{@value #BATCH_ROWS} and {@value #BATCH_BYTES}: the size of each committed batch (rows, Parquet bytes);</li>
 *   <li>{@value #LAST_COMMIT_AGE} (seconds): since the last committed batch, or since start while none was. It grows
 *       while the sink is stuck or idle, so alert on it together with consumer lag.</li>
 * </ul>
 * Traces: one span {@value #BATCH_SPAN} per micro-batch, from its close to its table commit (or its fencing), with
 * a link to the W3C trace context of its events: one per distinct trace, at most {@value #MAX_LINKS} (the SDK's
 * default link limit), read from the batch's rows when it closes, so nothing is spent per event. Attributes: batch
 * sequence, rows, records, close reason, snapshot id, outcome ({@code committed} or {@code fenced}), and how many
 * distinct traces the span links to.
 */
public final class SinkTelemetry implements SinkListener, AutoCloseable {
    public static final String BATCH_DURATION = "quintet.sink.batch.duration";
    public static final String COMMIT_DURATION = "quintet.sink.batch.commit.duration";
    public static final String BATCH_ROWS = "quintet.sink.batch.rows";
    public static final String BATCH_BYTES = "quintet.sink.batch.bytes";
    public static final String LAST_COMMIT_AGE = "quintet.sink.last_commit.age";
    public static final String BATCH_SPAN = "sink commit batch";
    /** Links per batch span at most (the OpenTelemetry SDK's default span limit). */
    public static final int MAX_LINKS = 128;

    static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("quintet.sink.batch.sequence");
    static final AttributeKey<Long> ROWS_ATTR = AttributeKey.longKey("quintet.sink.batch.rows");
    static final AttributeKey<Long> RECORDS_ATTR = AttributeKey.longKey("quintet.sink.batch.records");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("quintet.sink.batch.close_reason");
    static final AttributeKey<Long> SNAPSHOT = AttributeKey.longKey("quintet.sink.snapshot.id");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("quintet.outcome");
    static final AttributeKey<Long> LINKED_TRACES = AttributeKey.longKey("quintet.sink.batch.linked_traces");
    private static final List<Double> SECONDS =
            List.of(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);
    private static final List<Long> ROWS = List.of(10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L);
    private static final List<Long> BYTES =
            List.of(10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L);

    private final Clock clock;
    private final Tracer tracer;
    private final DoubleHistogram batchDuration;
    private final DoubleHistogram commitDuration;
    private final LongHistogram batchRows;
    private final LongHistogram batchBytes;
    private final ObservableDoubleGauge lastCommitAge;
    private final AtomicLong lastCommitMillis;
    // writer thread only (one batch at a time)
    private long closedAt;
    private long filesWrittenAt;
    private long fileBytes;

    public SinkTelemetry(OpenTelemetry otel, Clock clock) {
        this.clock = clock;
        this.lastCommitMillis = new AtomicLong(clock.millis());
        this.tracer = otel.getTracer("io.quintet.analytics-sink");
        var meter = otel.getMeter("io.quintet.analytics-sink");
        this.batchDuration = meter.histogramBuilder(BATCH_DURATION)
                .setUnit("s")
                .setDescription("micro-batch time from close to table commit (Parquet write + commit)")
                .setExplicitBucketBoundariesAdvice(SECONDS)
                .build();
        this.commitDuration = meter.histogramBuilder(COMMIT_DURATION)
                .setUnit("s")
                .setDescription("time of the Iceberg table commit of a micro-batch, retries included")
                .setExplicitBucketBoundariesAdvice(SECONDS)
                .build();
        this.batchRows = meter.histogramBuilder(BATCH_ROWS)
                .ofLongs()
                .setUnit("{row}")
                .setDescription("rows per committed micro-batch")
                .setExplicitBucketBoundariesAdvice(ROWS)
                .build();
        this.batchBytes = meter.histogramBuilder(BATCH_BYTES)
                .ofLongs()
                .setUnit("By")
                .setDescription("Parquet bytes per committed micro-batch")
                .setExplicitBucketBoundariesAdvice(BYTES)
                .build();
        this.lastCommitAge = meter.gaugeBuilder(LAST_COMMIT_AGE)
                .setUnit("s")
                .setDescription("seconds since the last committed micro-batch (since start while none was)")
                .buildWithCallback(m -> m.record((clock.millis() - lastCommitMillis.get()) / 1000.0));
    }

    @Override
    public void batchClosing(BatchInfo batch) {
        closedAt = clock.millis();
    }

    @Override
    public void filesWritten(BatchInfo batch, List<DataFile> files) {
        filesWrittenAt = clock.millis();
        long bytes = 0;
        for (DataFile f : files) {
            bytes += f.fileSizeInBytes();
        }
        fileBytes = bytes;
    }

    @Override
    public void batchCommitted(BatchInfo batch, long snapshotId) {
        long now = clock.millis();
        batchDuration.record((now - closedAt) / 1000.0);
        commitDuration.record((now - filesWrittenAt) / 1000.0);
        batchRows.record(batch.rows());
        batchBytes.record(fileBytes);
        lastCommitMillis.set(now);
        batchSpan(batch, "committed").setAttribute(SNAPSHOT, snapshotId).end(now, TimeUnit.MILLISECONDS);
    }

    @Override
    public void batchFenced(BatchInfo batch, Set<TopicPartition> partitions) {
        batchSpan(batch, "fenced").end(clock.millis(), TimeUnit.MILLISECONDS);
    }

    /** The batch's span, started when it closed, linked to its events' traces. */
    private Span batchSpan(BatchInfo batch, String outcome) {
        SpanBuilder b = tracer.spanBuilder(BATCH_SPAN)
                .setNoParent()
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(closedAt, TimeUnit.MILLISECONDS)
                .setAttribute(SEQUENCE, batch.sequence())
                .setAttribute(ROWS_ATTR, (long) batch.rows())
                .setAttribute(RECORDS_ATTR, (long) batch.records())
                .setAttribute(OUTCOME, outcome)
                .setAttribute(LINKED_TRACES, (long) batch.traces().size());
        if (batch.reason() != null) {
            b.setAttribute(REASON, batch.reason().name());
        }
        for (TraceParent tp : batch.traces()) {
            b.addLink(SpanContext.createFromRemoteParent(
                    tp.traceId(),
                    tp.spanId(),
                    tp.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                    TraceState.getDefault()));
        }
        return b.startSpan();
    }

    @Override
    public void close() {
        lastCommitAge.close();
    }
}
