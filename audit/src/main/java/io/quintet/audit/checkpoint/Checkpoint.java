package io.quintet.audit.checkpoint;

import io.quintet.audit.chain.Hash32;
import java.time.Instant;
import java.util.Objects;

/**
 * The signed statement about one closed range of a partition's chain. Checkpoints of a partition chain to each
 * other (each names the hash of the one before, as CloudTrail digest files do), so deleting or replacing one
 * breaks the next.
 *
 * @param log            the chained topic's name (e.g. {@code events.canonical})
 * @param partition      the chain's partition
 * @param index          0 for the partition's first checkpoint, then +1
 * @param firstSeq       first sequence number of the range
 * @param lastSeq        last sequence number of the range (inclusive)
 * @param prevHead       chain hash before the range, H_{firstSeq-1} (H_0 = zeros for the first range)
 * @param head           chain hash at the end of the range, H_lastSeq
 * @param merkleRoot     RFC 6962 root over the range's leaves, leaf i = canonical bytes of event firstSeq+i
 * @param treeRoot       RFC 6962 root over the whole partition log so far, leaves = events 1..lastSeq (tree size
 *                       lastSeq): two checkpoints' tree roots are linked by a consistency proof, as CT tree heads are
 * @param prevCheckpoint SHA-256 of the previous checkpoint's signed bytes; zeros for index 0
 * @param chainKeyId     HMAC key id of the event at lastSeq
 * @param closedAt       when the builder closed the range
 * @param signingKeyId   id of the Ed25519 key that signs this checkpoint
 */
public record Checkpoint(
        String log,
        int partition,
        long index,
        long firstSeq,
        long lastSeq,
        Hash32 prevHead,
        Hash32 head,
        Hash32 merkleRoot,
        Hash32 treeRoot,
        Hash32 prevCheckpoint,
        String chainKeyId,
        Instant closedAt,
        String signingKeyId) {

    public Checkpoint {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(prevHead, "prevHead");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(merkleRoot, "merkleRoot");
        Objects.requireNonNull(treeRoot, "treeRoot");
        Objects.requireNonNull(prevCheckpoint, "prevCheckpoint");
        Objects.requireNonNull(closedAt, "closedAt");
        Objects.requireNonNull(signingKeyId, "signingKeyId");
        if (partition < 0 || index < 0 || firstSeq < 1 || lastSeq < firstSeq) {
            throw new IllegalArgumentException(
                    "checkpoint needs partition >= 0, index >= 0 and 1 <= first_seq <= last_seq" + " (got partition "
                            + partition + ", index " + index + ", range " + firstSeq + ".." + lastSeq + ")");
        }
    }

    /** Number of events (Merkle leaves) in the range. */
    public long size() {
        return lastSeq - firstSeq + 1;
    }

    /** Leaves of the cumulative tree ({@link #treeRoot()}): events 1..lastSeq. */
    public long treeSize() {
        return lastSeq;
    }

    public boolean covers(long seq) {
        return seq >= firstSeq && seq <= lastSeq;
    }

    /** "partition 3 checkpoint #7 (seq 6001..7000)", for messages. */
    public String describe() {
        return "partition " + partition + " checkpoint #" + index + " (seq " + firstSeq + ".." + lastSeq + ")";
    }
}
