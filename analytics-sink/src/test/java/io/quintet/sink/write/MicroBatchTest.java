package io.quintet.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.sink.write.BatchPolicy.CloseReason;
import java.time.Duration;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class MicroBatchTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final Record ROW = GenericRecord.create(EventTableLayout.SCHEMA);
    private static final BatchPolicy POLICY = new BatchPolicy(3, 1000, Duration.ofMinutes(5), Duration.ofSeconds(30));

    @Test
    void anEmptyBatchNeverCloses() {
        assertThat(new MicroBatch().reasonToClose(POLICY, Long.MAX_VALUE)).isNull();
    }

    @Test
    void closesOnRecordCountThenBytesThenEventTimeThenAge() {
        MicroBatch records = new MicroBatch();
        for (int i = 0; i < 3; i++) {
            records.add(P0, i, ROW, 1, 0, 0);
        }
        assertThat(records.reasonToClose(POLICY, 0)).isEqualTo(CloseReason.RECORDS);

        MicroBatch bytes = new MicroBatch();
        bytes.add(P0, 0, ROW, 1000, 0, 0);
        assertThat(bytes.reasonToClose(POLICY, 0)).isEqualTo(CloseReason.BYTES);

        MicroBatch eventTime = new MicroBatch();
        eventTime.add(P0, 0, ROW, 1, 0, 0);
        eventTime.add(P0, 1, ROW, 1, Duration.ofMinutes(5).toMillis(), 0);
        assertThat(eventTime.reasonToClose(POLICY, 0)).isEqualTo(CloseReason.EVENT_TIME);

        MicroBatch age = new MicroBatch();
        age.add(P0, 0, ROW, 1, 0, 1_000);
        assertThat(age.reasonToClose(POLICY, 30_999)).isNull();
        assertThat(age.reasonToClose(POLICY, 31_000)).isEqualTo(CloseReason.AGE);
    }

    @Test
    void eventTimeIsMeasuredPerPartitionSoABacklogOfSeveralPartitionsDoesNotCloseEveryPoll() {
        MicroBatch b = new MicroBatch();
        b.add(P0, 0, ROW, 1, 0, 0);
        b.add(P1, 0, ROW, 1, Duration.ofHours(2).toMillis(), 0);
        assertThat(b.eventTimeSpanMillis()).isZero();
        assertThat(b.reasonToClose(POLICY, 0)).isNull();
    }

    @Test
    void skippedRecordsAdvanceTheOffsetsButAddNoRow() {
        MicroBatch b = new MicroBatch();
        b.add(P0, 7, ROW, 10, 0, 0);
        b.add(P0, 8, null, 10, 0, 0);
        b.add(P1, 3, null, 10, 0, 0);
        assertThat(b.rows()).hasSize(1);
        assertThat(b.records()).isEqualTo(3);
        assertThat(b.bytes()).isEqualTo(30);
        assertThat(b.nextOffsets()).containsEntry(P0, 9L).containsEntry(P1, 4L);
    }
}
