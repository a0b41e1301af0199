package io.quintet.audit.verify;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a verifier reads chained events from: a Kafka topic ({@link KafkaEventSource}), an exported archive
 * ({@link ArchiveEventSource}), or any store that keeps the chain fields next to the event, such as the warm
 * store's Iceberg table.
 * <p>
 * To verify a table, implement this over its rows: for each partition, emit the rows ordered by sequence number
 * (or in storage order, to also catch reordering) as {@link ChainedRecord#ofRow(int, Position, io.quintet.audit.chain.ChainLink, byte[])}
 * with the event's canonical JSON (the CloudEvent data as it was on {@code events.canonical}, or any JSON text with
 * the same value) and the chain columns ({@code chainpart, chainseq, chainprev, chainhash, chainkeyid}); a row whose
 * columns are missing or malformed as {@link ChainedRecord#broken}. Then
 * {@code new ChainVerifier(...).verify(source, checkpoints)}.
 */
public interface ChainedEventSource {

    /** For reports: "topic events.canonical", "archive events.ndjson". */
    String describe();

    /** The partitions this source covers; empty for "every partition found in the events or the checkpoints". */
    Optional<Set<Integer>> partitions();

    /**
     * Whether the source reaches the current end of each partition, so that a checkpoint beyond its last event
     * means the tail was truncated (false for a range that stops at a chosen offset).
     */
    boolean readsToEnd();

    /** Emits every record, in log order within each partition (partitions may interleave). */
    void read(Consumer<ChainedRecord> sink) throws IOException;
}
