package io.quintet.sink.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.SinkHarness;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sink dies at each point of a batch's life; a restarted instance ends with every event in the table once.
 * "Dies" = the listener throws on the consumer thread: the instance stops at that point without committing anything
 * further, table or consumer group, exactly as a killed process would.
 */
@KafkaCluster
@Timeout(180)
class SinkCrashRecoveryIT {
    private static final int EVENTS = 3_000;

    @TempDir
    Path dir;

    enum CrashPoint {
        BEFORE_WRITE,
        AFTER_WRITE_BEFORE_TABLE_COMMIT,
        AFTER_TABLE_COMMIT_BEFORE_CONSUMER_COMMIT
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(CrashPoint point) {
            super("simulated crash " + point);
        }
    }

    /** Lets the first batch through, then dies at {@code point} of the second. */
    record CrashOnSecondBatch(CrashPoint point) implements SinkListener {
        @Override
        public void batchClosing(BatchInfo batch) {
            crashIf(batch, CrashPoint.BEFORE_WRITE);
        }

        @Override
        public void filesWritten(BatchInfo batch, List<DataFile> files) {
            crashIf(batch, CrashPoint.AFTER_WRITE_BEFORE_TABLE_COMMIT);
        }

        @Override
        public void batchCommitted(BatchInfo batch, long snapshotId) {
            crashIf(batch, CrashPoint.AFTER_TABLE_COMMIT_BEFORE_CONSUMER_COMMIT);
        }

        private void crashIf(BatchInfo batch, CrashPoint at) {
            if (batch.sequence() == 2 && point == at) {
                throw new SimulatedCrash(point);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aSinkKilledAtAnyPointAndRestartedHoldsEveryEventExactlyOnce(CrashPoint point, RunningKafka kafka)
            throws Exception {
        try (SinkHarness h = new SinkHarness(kafka, dir, 3)) {
            h.produce(0, EVENTS);
            Map<String, String> smallBatches = Map.of(
                    SinkConfig.BATCH_MAX_RECORDS,
                    "1000",
                    SinkConfig.BATCH_MAX_EVENT_TIME_SPAN_MS,
                    String.valueOf(Duration.ofDays(30).toMillis()),
                    "kafka.client.max.poll.records",
                    "250");

            SinkHarness.Running first = h.start(h.config("first", smallBatches), new CrashOnSecondBatch(point));
            assertThatThrownBy(() -> first.done().get(90, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SimulatedCrash.class);

            long rowsAfterCrash = h.committedRowCount();
            Map<TopicPartition, Long> tableOffsets = h.tableState().offsets();
            long tableTotal =
                    tableOffsets.values().stream().mapToLong(Long::longValue).sum();
            long groupTotal = groupOffsets(kafka, h.group).values().stream()
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
            switch (point) {
                case BEFORE_WRITE ->
                    assertThat(rowsAfterCrash).isEqualTo(tableTotal).isLessThan(EVENTS);
                case AFTER_WRITE_BEFORE_TABLE_COMMIT -> {
                    assertThat(rowsAfterCrash).isEqualTo(tableTotal).isLessThan(EVENTS);
                    assertThat(dataFilesOnDisk(h.table()))
                            .as("the dead instance's written but uncommitted files")
                            .hasSizeGreaterThan(dataFilesInTable(h.table()).size());
                }
                case AFTER_TABLE_COMMIT_BEFORE_CONSUMER_COMMIT ->
                    assertThat(groupTotal)
                            .as("consumer group offsets lag the table's")
                            .isLessThan(tableTotal);
            }

            SinkHarness.Running second = h.start(h.config("second", smallBatches), SinkListener.NONE);
            await("all events in the table")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(h.committedRowCount()).isGreaterThanOrEqualTo(EVENTS));
            second.stopAndWait();
            assertThat(second.done()).isCompleted();

            List<Record> rows = h.rows();
            Set<String> ids =
                    rows.stream().map(r -> (String) r.getField("event_id")).collect(Collectors.toSet());
            assertThat(rows).hasSize(EVENTS);
            assertThat(ids).hasSize(EVENTS).contains("evt-0", "evt-" + (EVENTS - 1));
            assertThat(h.tableState().offsets().values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .isEqualTo(EVENTS);
        }
    }

    static Map<TopicPartition, OffsetAndMetadata> groupOffsets(RunningKafka kafka, String group) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
        }
    }

    static Set<String> dataFilesInTable(Table table) {
        Set<String> files = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> files.add(
                    Path.of(t.file().location().replaceFirst("^file:", "")).toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static Set<String> dataFilesOnDisk(Table table) {
        Path data = Path.of(table.location().replaceFirst("^file:", "")).resolve("data");
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(p -> p.toString().endsWith(".parquet"))
                    .map(Path::toString)
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
