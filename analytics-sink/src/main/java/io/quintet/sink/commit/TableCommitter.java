package io.quintet.sink.commit;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits to the events table, one Iceberg snapshot per call, with the sink state (offsets and epochs, see
 * {@link SinkState}) in the snapshot summary.
 * <ul>
 *   <li>{@link #claim} takes partitions over: it raises their writer epochs in the table. From then on, a commit
 *       by any earlier owner of those partitions (a zombie: a paused or partitioned-away instance that still
 *       believes it owns them) is refused.</li>
 *   <li>{@link #commit} appends a batch's data files and advances its partitions' offsets, after checking, against
 *       the exact snapshot it will be applied to, that this instance still holds the epoch it claimed and that the
 *       table's offset is still where this instance's batch began. Concurrent commits of other instances (which own
 *       other partitions) make it re-read and retry.</li>
 * </ul>
 */
public final class TableCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(TableCommitter.class);

    public static final String INSTANCE = "quintet.sink.instance";
    public static final String OPERATION = "quintet.sink.operation";
    static final String COMMIT_ID = "quintet.sink.commit-id";

    private final Table table;
    private final String group;
    private final String instanceId;
    private final int maxAttempts;
    private final Duration backoff;

    public TableCommitter(Table table, String group, String instanceId, int maxAttempts, Duration backoff) {
        this.table = table;
        this.group = group;
        this.instanceId = instanceId;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    /** What an instance holds for one partition: its writer epoch and the table offset its next batch starts at. */
    public record PartitionClaim(long epoch, Long committedOffset) {}

    /** The outcome of a batch commit. */
    public sealed interface CommitResult {
        /** The batch is in the table, in snapshot {@code snapshotId}. */
        record Committed(long snapshotId, int attempts) implements CommitResult {}

        /** Another instance owns (or has moved) these partitions: the batch was not committed. */
        record Fenced(Set<TopicPartition> partitions) implements CommitResult {}
    }

    /** Raises the writer epoch of each partition and returns what this instance now holds. */
    public Map<TopicPartition, PartitionClaim> claim(Collection<TopicPartition> partitions) {
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            SinkState state = SinkState.read(table, group);
            Map<TopicPartition, Long> epochs = new LinkedHashMap<>();
            partitions.forEach(tp -> epochs.put(tp, state.epoch(tp) + 1));
            try {
                commitSnapshot(state.parentSnapshotId(), List.of(), state.withEpochs(epochs), "claim");
                Map<TopicPartition, PartitionClaim> claims = new LinkedHashMap<>();
                partitions.forEach(tp -> claims.put(tp, new PartitionClaim(epochs.get(tp), state.offset(tp))));
                LOG.info(
                        "instance {} claimed {} (epochs {}, table offsets {})",
                        instanceId,
                        partitions,
                        epochs,
                        state.offsets());
                return claims;
            } catch (GuardedTableOperations.StaleBaseException | CommitFailedException e) {
                retryOrGiveUp(attempt, "claim", e);
            }
        }
    }

    /**
     * Appends {@code dataFiles} and moves the offsets of the batch's partitions to {@code nextOffsets}, if this
     * instance still holds every one of them as {@code claims} describes.
     */
    public CommitResult commit(
            List<DataFile> dataFiles,
            Map<TopicPartition, Long> nextOffsets,
            Map<TopicPartition, PartitionClaim> claims) {
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            SinkState state = SinkState.read(table, group);
            Set<TopicPartition> fenced = new LinkedHashSet<>();
            for (TopicPartition tp : nextOffsets.keySet()) {
                PartitionClaim held = claims.get(tp);
                if (held == null
                        || state.epoch(tp) != held.epoch()
                        || !Objects.equals(state.offset(tp), held.committedOffset())) {
                    fenced.add(tp);
                }
            }
            if (!fenced.isEmpty()) {
                LOG.warn(
                        "instance {} is fenced off {}: the table shows epochs {} and offsets {}",
                        instanceId,
                        fenced,
                        state.epochs(),
                        state.offsets());
                return new CommitResult.Fenced(fenced);
            }
            try {
                long snapshotId =
                        commitSnapshot(state.parentSnapshotId(), dataFiles, state.withOffsets(nextOffsets), "batch");
                return new CommitResult.Committed(snapshotId, attempt);
            } catch (GuardedTableOperations.StaleBaseException | CommitFailedException e) {
                retryOrGiveUp(attempt, "batch commit", e);
            }
        }
    }

    private long commitSnapshot(Long parentSnapshotId, List<DataFile> dataFiles, SinkState next, String operation) {
        String commitId = UUID.randomUUID().toString();
        Table guarded = new BaseTable(
                new GuardedTableOperations(((HasTableOperations) table).operations(), parentSnapshotId), table.name());
        AppendFiles append = guarded.newAppend();
        dataFiles.forEach(append::appendFile);
        next.writeTo(group, append::set);
        append.set(INSTANCE, instanceId);
        append.set(OPERATION, operation);
        append.set(COMMIT_ID, commitId);
        append.commit();
        table.refresh();
        for (Snapshot s : SnapshotUtil.currentAncestors(table)) {
            if (commitId.equals(s.summary().get(COMMIT_ID))) {
                return s.snapshotId();
            }
        }
        throw new IllegalStateException("committed snapshot " + commitId + " is not in the table's history");
    }

    private void retryOrGiveUp(int attempt, String what, RuntimeException e) {
        if (attempt >= maxAttempts) {
            throw new IllegalStateException(what + " failed after " + attempt + " attempts: " + e.getMessage(), e);
        }
        LOG.debug("{} attempt {} lost a race ({}); retrying", what, attempt, e.getMessage());
        long base = backoff.toMillis() * Math.min(attempt, 10);
        long pause = base + ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1);
        try {
            Thread.sleep(pause);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", ie);
        }
    }
}
