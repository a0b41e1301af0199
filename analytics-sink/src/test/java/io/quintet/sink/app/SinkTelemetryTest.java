package io.quintet.sink.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.sink.write.BatchPolicy;
import io.quintet.sink.write.EventRowMapper;
import io.quintet.sink.write.EventTableLayout;
import io.quintet.sink.write.MicroBatch;
import io.quintet.support.metrics.PrometheusMetrics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink's batch metrics as Prometheus scrapes them (commit time, batch size, last-commit age) and its batch span,
 * linked to the traces of the batch's events.
 */
class SinkTelemetryTest {
    @RegisterExtension
    static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

    final MutableClock clock = new MutableClock();
    final PrometheusMetrics prometheus = new PrometheusMetrics();
    final SinkTelemetry telemetry =
            new SinkTelemetry(prometheus.openTelemetry(OTEL.getOpenTelemetry().getTracerProvider()), clock);

    @AfterEach
    void close() {
        telemetry.close();
        prometheus.close();
    }

    static DataFile file(long bytes) {
        return DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath("/w/data/f-" + bytes + ".parquet")
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(bytes)
                .withRecordCount(10)
                .build();
    }

    static SinkListener.BatchInfo batch(int rows) {
        return new SinkListener.BatchInfo(1, rows, rows, 1000, BatchPolicy.CloseReason.values()[0], Map.of());
    }

    static String sample(String scrape, String name) {
        return scrape.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .findFirst()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .orElse("absent");
    }

    @Test
    void aCommittedBatchRecordsItsTimesItsSizeAndResetsTheLastCommitAge() {
        clock.advance(30_000);
        assertThat(sample(prometheus.scrape(), "quintet_sink_last_commit_age_seconds"))
                .isEqualTo("30.0");

        telemetry.batchClosing(batch(250));
        clock.advance(400);
        telemetry.filesWritten(batch(250), List.of(file(4_000), file(1_000)));
        clock.advance(100);
        telemetry.batchCommitted(batch(250), 42L);
        clock.advance(2_000);

        String scrape = prometheus.scrape();
        assertThat(sample(scrape, "quintet_sink_batch_duration_seconds_sum")).isEqualTo("0.5");
        assertThat(sample(scrape, "quintet_sink_batch_commit_duration_seconds_sum"))
                .isEqualTo("0.1");
        assertThat(sample(scrape, "quintet_sink_batch_commit_duration_seconds_count"))
                .isEqualTo("1");
        assertThat(sample(scrape, "quintet_sink_batch_rows_sum")).isEqualTo("250.0");
        assertThat(sample(scrape, "quintet_sink_batch_bytes_sum")).isEqualTo("5000.0");
        assertThat(sample(scrape, "quintet_sink_last_commit_age_seconds")).isEqualTo("2.0");
    }

    @Test
    void aFencedBatchIsNotACommit() {
        telemetry.batchClosing(batch(10));
        clock.advance(5_000);
        telemetry.batchFenced(batch(10), java.util.Set.of());
        String scrape = prometheus.scrape();
        assertThat(sample(scrape, "quintet_sink_batch_commit_duration_seconds_count"))
                .isEqualTo("absent");
        assertThat(sample(scrape, "quintet_sink_last_commit_age_seconds")).isEqualTo("5.0");
    }

    static String trace(int i) {
        return String.format("%032x", 0x7ace0L + i);
    }

    static String span(int i) {
        return String.format("%016x", 0x5a0L + i);
    }

    /** Events as the sink reads them from events.canonical, made into rows, in one closing micro-batch. */
    static SinkListener.BatchInfo closedBatch(MicroBatch batch, long sequence) {
        return new SinkListener.BatchInfo(
                sequence,
                batch.records(),
                batch.rows().size(),
                batch.bytes(),
                BatchPolicy.CloseReason.AGE,
                batch.nextOffsets(),
                batch.traces(SinkTelemetry.MAX_LINKS));
    }

    static CanonicalEvent traced(String id, int trace, int span) {
        CanonicalEvent e = EventFixtures.login().toBuilder().id(id).build();
        return e.withContext(e.contextOrEmpty().withTelemetry(new Context.Telemetry(trace(trace), span(span), null)));
    }

    @Test
    void aCommittedBatchRecordsOneSpanLinkedToTheTraceOfEachOfItsEvents() {
        EventRowMapper mapper = new EventRowMapper(EventTableLayout.SCHEMA);
        TopicPartition p0 = new TopicPartition("events.canonical", 0);
        MicroBatch batch = new MicroBatch();
        batch.add(p0, 0, mapper.toRecord(traced("e-1", 1, 1), 0, 0), 100, 0, 0);
        batch.add(p0, 1, mapper.toRecord(EventFixtures.invoiceCreated(), 0, 1), 100, 0, 0);
        batch.add(p0, 2, mapper.toRecord(traced("e-2", 2, 2), 0, 2), 100, 0, 0);
        batch.add(p0, 3, mapper.toRecord(traced("e-3", 2, 3), 0, 3), 100, 0, 0); // the same trace as e-2
        SinkListener.BatchInfo info = closedBatch(batch, 7);

        telemetry.batchClosing(info);
        clock.advance(300);
        telemetry.filesWritten(info, List.of(file(1_000)));
        telemetry.batchCommitted(info, 99L);

        assertThat(OTEL.getSpans()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(SinkTelemetry.BATCH_SPAN);
            assertThat(s.getParentSpanContext().isValid()).isFalse();
            assertThat(s.getLinks())
                    .extracting(l -> l.getSpanContext().getTraceId() + "/"
                            + l.getSpanContext().getSpanId())
                    .containsExactly(trace(1) + "/" + span(1), trace(2) + "/" + span(2));
            assertThat(s.getAttributes().get(SinkTelemetry.SNAPSHOT)).isEqualTo(99L);
            assertThat(s.getAttributes().get(SinkTelemetry.ROWS_ATTR)).isEqualTo(4L);
            assertThat(s.getAttributes().get(SinkTelemetry.OUTCOME)).isEqualTo("committed");
            assertThat(s.getEndEpochNanos() - s.getStartEpochNanos()).isEqualTo(300_000_000L);
        });
    }

    @Test
    void aBatchSpanLinksToAtMostMaxLinksTraces() {
        EventRowMapper mapper = new EventRowMapper(EventTableLayout.SCHEMA);
        TopicPartition p0 = new TopicPartition("events.canonical", 0);
        MicroBatch batch = new MicroBatch();
        for (int i = 1; i <= SinkTelemetry.MAX_LINKS + 50; i++) {
            batch.add(p0, i, mapper.toRecord(traced("e-" + i, i, i), 0, i), 100, 0, 0);
        }
        SinkListener.BatchInfo info = closedBatch(batch, 1);
        telemetry.batchClosing(info);
        telemetry.batchFenced(info, java.util.Set.of(p0));

        SpanData span = OTEL.getSpans().get(0);
        assertThat(span.getLinks()).hasSize(SinkTelemetry.MAX_LINKS);
        assertThat(span.getLinks().get(0))
                .extracting(LinkData::getSpanContext)
                .satisfies(c -> assertThat(c.getTraceId()).isEqualTo(trace(1)));
        assertThat(span.getAttributes().get(SinkTelemetry.OUTCOME)).isEqualTo("fenced");
    }

    static final class MutableClock extends Clock {
        private long millis = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
