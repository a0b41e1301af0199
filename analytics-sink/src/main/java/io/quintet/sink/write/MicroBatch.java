package io.quintet.sink.write;

import io.quintet.model.otel.TraceParent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.apache.kafka.common.TopicPartition;

/**
 * The records read since the last commit: table rows plus, per Kafka partition, the offset to resume from once the
 * batch is committed (last offset read + 1, including records that were skipped because they did not decode).
 * Not thread-safe: filled by the consumer thread, then handed to the writer thread, which only reads it.
 */
public final class MicroBatch {
    private final List<Record> rows = new ArrayList<>();
    private final Map<TopicPartition, PartitionRange> partitions = new LinkedHashMap<>();
    /** The partition of the previous {@link #add} and its range: consecutive records mostly share one. */
    private TopicPartition lastPartition;

    private PartitionRange lastRange;
    private int records;
    private long bytes;
    private long maxEventTimeSpan;
    private long firstRecordAtMillis = -1;

    /** Per partition: the offset after the last record read, and the event-time range of its rows. */
    private static final class PartitionRange {
        long nextOffset = Long.MIN_VALUE;
        long minEventMillis = Long.MAX_VALUE;
        long maxEventMillis = Long.MIN_VALUE;
    }

    /** Adds one consumed record; {@code row} is null for a record that was skipped. */
    public void add(TopicPartition tp, long offset, Record row, long sizeBytes, long eventMillis, long nowMillis) {
        if (firstRecordAtMillis < 0) {
            firstRecordAtMillis = nowMillis;
        }
        records++;
        bytes += sizeBytes;
        PartitionRange range = lastRange;
        if (tp != lastPartition && !tp.equals(lastPartition)) {
            range = partitions.get(tp);
            if (range == null) {
                range = new PartitionRange();
                partitions.put(tp, range);
            }
            lastPartition = tp;
            lastRange = range;
        }
        range.nextOffset = Math.max(range.nextOffset, offset + 1);
        if (row != null) {
            rows.add(row);
            range.minEventMillis = Math.min(range.minEventMillis, eventMillis);
            range.maxEventMillis = Math.max(range.maxEventMillis, eventMillis);
            maxEventTimeSpan = Math.max(maxEventTimeSpan, range.maxEventMillis - range.minEventMillis);
        }
    }

    public boolean isEmpty() {
        return records == 0;
    }

    /** Records consumed (written or skipped). */
    public int records() {
        return records;
    }

    public long bytes() {
        return bytes;
    }

    public List<Record> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** Per partition, the offset of the first record after this batch. */
    public Map<TopicPartition, Long> nextOffsets() {
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        partitions.forEach((tp, range) -> next.put(tp, range.nextOffset));
        return Collections.unmodifiableMap(next);
    }

    /**
     * The widest event-time range any one partition covers in this batch. Per partition, because partitions that
     * are read from a backlog sit at different points in event time: a span across partitions would close batches
     * after every poll while catching up.
     */
    long eventTimeSpanMillis() {
        return maxEventTimeSpan;
    }

    /**
     * The W3C trace contexts of the batch's rows ({@code trace_id}, {@code span_id}), one per distinct trace, in row
     * order, at most {@code max}: what the batch's span links to. Read from the rows when the batch closes, so the
     * per-event path pays nothing for it.
     */
    public List<TraceParent> traces(int max) {
        Map<String, TraceParent> byTrace = new LinkedHashMap<>();
        for (int i = 0; i < rows.size() && byTrace.size() < max; i++) {
            Record row = rows.get(i);
            Object traceId = row.getField(EventTableLayout.TRACE_ID);
            if (traceId != null && !byTrace.containsKey(traceId.toString())) {
                Object spanId = row.getField(EventTableLayout.SPAN_ID);
                TraceParent.of(traceId.toString(), spanId == null ? null : spanId.toString())
                        .ifPresent(tp -> byTrace.put(tp.traceId(), tp));
            }
        }
        return List.copyOf(byTrace.values());
    }

    long ageMillis(long nowMillis) {
        return firstRecordAtMillis < 0 ? 0 : nowMillis - firstRecordAtMillis;
    }

    public BatchPolicy.CloseReason reasonToClose(BatchPolicy policy, long nowMillis) {
        return policy.reasonToClose(records, bytes, eventTimeSpanMillis(), ageMillis(nowMillis));
    }
}
