package io.quintet.audit.checkpoint;

import io.quintet.audit.chain.Hash32;
import io.quintet.audit.merkle.Merkle;
import java.util.List;

/**
 * Proofs about closed ranges, checkable by anyone holding the published keys and a signed checkpoint:
 * <ul>
 *   <li>an inclusion proof shows one event (its canonical bytes) is event {@code seq} of the range a checkpoint
 *       signed, with O(log n) hashes;</li>
 *   <li>a consistency proof shows the partition log a later checkpoint signed ({@code tree_root}, size
 *       {@code last_seq}) extends the one an earlier checkpoint signed, without any event being changed or removed
 *       in between, with O(log n) hashes.</li>
 * </ul>
 * Producing a proof needs the leaf hashes ({@code Merkle.leafHash(canonical bytes)}) of the range or of the log
 * (from the warm store, or an archive); checking it needs only the checkpoints.
 */
public final class CheckpointProofs {
    private CheckpointProofs() {}

    /** Event {@code seq} is leaf {@code seq - firstSeq} of the range tree under {@code merkle_root}. */
    public record InclusionProof(long seq, List<Hash32> path) {}

    /** The tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize} leaves. */
    public record ConsistencyProof(long oldSize, long newSize, List<Hash32> path) {}

    /**
     * @param rangeLeafHashes leaf hashes of the checkpoint's events, seq firstSeq..lastSeq in order
     */
    public static InclusionProof inclusion(Checkpoint checkpoint, List<Hash32> rangeLeafHashes, long seq) {
        if (rangeLeafHashes.size() != checkpoint.size()) {
            throw new IllegalArgumentException(checkpoint.describe() + " covers " + checkpoint.size() + " events, got "
                    + rangeLeafHashes.size() + " leaves");
        }
        if (!checkpoint.covers(seq)) {
            throw new IllegalArgumentException("seq " + seq + " is not in " + checkpoint.describe());
        }
        return new InclusionProof(seq, Merkle.inclusionProof(rangeLeafHashes, (int) (seq - checkpoint.firstSeq())));
    }

    /** Does the proof show that {@code canonicalBytes} is the event at {@code proof.seq()} of the checkpoint? */
    public static boolean verifyInclusion(Checkpoint checkpoint, byte[] canonicalBytes, InclusionProof proof) {
        return checkpoint.covers(proof.seq())
                && Merkle.verifyInclusion(
                        Merkle.leafHash(canonicalBytes),
                        proof.seq() - checkpoint.firstSeq(),
                        checkpoint.size(),
                        proof.path(),
                        checkpoint.merkleRoot());
    }

    /**
     * @param logLeafHashes leaf hashes of the partition's events from seq 1 to at least {@code newer.lastSeq()}
     */
    public static ConsistencyProof consistency(List<Hash32> logLeafHashes, Checkpoint older, Checkpoint newer) {
        if (older.partition() != newer.partition() || older.lastSeq() > newer.lastSeq()) {
            throw new IllegalArgumentException(older.describe() + " does not precede " + newer.describe());
        }
        if (logLeafHashes.size() < newer.lastSeq()) {
            throw new IllegalArgumentException(
                    "need the leaves of seq 1.." + newer.lastSeq() + ", got " + logLeafHashes.size());
        }
        List<Hash32> tree = logLeafHashes.subList(0, (int) newer.lastSeq());
        return new ConsistencyProof(
                older.treeSize(), newer.treeSize(), Merkle.consistencyProof(tree, (int) older.treeSize()));
    }

    public static boolean verifyConsistency(Checkpoint older, Checkpoint newer, ConsistencyProof proof) {
        return older.partition() == newer.partition()
                && proof.oldSize() == older.treeSize()
                && proof.newSize() == newer.treeSize()
                && Merkle.verifyConsistency(
                        older.treeSize(), newer.treeSize(), older.treeRoot(), newer.treeRoot(), proof.path());
    }
}
