package io.quintet.sink.app;

import io.quintet.model.otel.TraceParent;
import io.quintet.sink.write.BatchPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.kafka.common.TopicPartition;

/**
 * Observes the life of each micro-batch, on the sink's writer thread (one batch at a time, in order): for metrics,
 * logging and operational hooks. An exception thrown here stops the sink without committing anything further, as if
 * the process died at that point (nothing is lost: a restarted sink resumes from the offsets in the table).
 */
public interface SinkListener {

    SinkListener NONE = new SinkListener() {};

    /** The batch closed; its files are about to be written. */
    default void batchClosing(BatchInfo batch) {}

    /** The batch's data files are written; the table commit comes next. */
    default void filesWritten(BatchInfo batch, List<DataFile> files) {}

    /** The batch is in the table (snapshot {@code snapshotId}); the consumer-group offset commit comes next. */
    default void batchCommitted(BatchInfo batch, long snapshotId) {}

    /** Another instance owns these partitions now: the batch was dropped, not committed. */
    default void batchFenced(BatchInfo batch, Set<TopicPartition> partitions) {}

    /**
     * What a closing batch holds; {@code traces} are the W3C trace contexts of its events, one per distinct trace
     * and at most {@link SinkTelemetry#MAX_LINKS} (what the batch's span links to).
     */
    record BatchInfo(
            long sequence,
            int records,
            int rows,
            long bytes,
            BatchPolicy.CloseReason reason,
            Map<TopicPartition, Long> nextOffsets,
            List<TraceParent> traces) {
        public BatchInfo {
            traces = List.copyOf(traces);
        }

        /** A batch whose events carry no trace context. */
        public BatchInfo(
                long sequence,
                int records,
                int rows,
                long bytes,
                BatchPolicy.CloseReason reason,
                Map<TopicPartition, Long> nextOffsets) {
            this(sequence, records, rows, bytes, reason, nextOffsets, List.of());
        }
    }
}
