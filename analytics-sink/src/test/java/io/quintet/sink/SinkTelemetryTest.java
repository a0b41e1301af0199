package io.quintet.sink;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink's batch metrics as Prometheus scrapes them: commit time, batch size, last-commit age. */
class SinkTelemetryTest {
    final MutableClock clock = new MutableClock();
    final PrometheusMetrics prometheus = new PrometheusMetrics();
    final SinkTelemetry telemetry = new SinkTelemetry(prometheus.openTelemetry(), clock);

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
