package io.quintet.sink.app;

import java.util.concurrent.atomic.AtomicLong;

/** Running counters of one sink instance; safe to read from any thread. */
public final class SinkStats {
    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong skippedUndecodable = new AtomicLong();
    final AtomicLong skippedIncomplete = new AtomicLong();
    final AtomicLong rowsCommitted = new AtomicLong();
    final AtomicLong batchesCommitted = new AtomicLong();
    final AtomicLong batchesFenced = new AtomicLong();
    final AtomicLong filesCommitted = new AtomicLong();
    final AtomicLong fileBytesCommitted = new AtomicLong();
    final AtomicLong commitRetries = new AtomicLong();

    /** A consistent-enough copy of the counters. */
    public Snapshot snapshot() {
        return new Snapshot(
                recordsRead.get(),
                skippedUndecodable.get(),
                skippedIncomplete.get(),
                rowsCommitted.get(),
                batchesCommitted.get(),
                batchesFenced.get(),
                filesCommitted.get(),
                fileBytesCommitted.get(),
                commitRetries.get());
    }

    /**
     * @param recordsRead        records consumed from Kafka
     * @param skippedUndecodable records that were not canonical CloudEvents (skipped, counted, logged by position)
     * @param skippedIncomplete  canonical events lacking id, event time or action name (skipped likewise)
     * @param rowsCommitted      rows in committed snapshots
     * @param batchesCommitted   micro-batches committed
     * @param batchesFenced      micro-batches dropped because another instance had taken their partitions
     * @param filesCommitted     Parquet data files committed
     * @param fileBytesCommitted bytes of those files
     * @param commitRetries      commit attempts lost to concurrent commits of other instances
     */
    public record Snapshot(
            long recordsRead,
            long skippedUndecodable,
            long skippedIncomplete,
            long rowsCommitted,
            long batchesCommitted,
            long batchesFenced,
            long filesCommitted,
            long fileBytesCommitted,
            long commitRetries) {}
}
