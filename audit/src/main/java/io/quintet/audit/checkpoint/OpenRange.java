package io.quintet.audit.checkpoint;

import io.quintet.audit.chain.Hash32;
import io.quintet.audit.merkle.MerkleFrontier;

/**
 * The checkpoint being built for one partition: the part of {@link io.quintet.audit.AuditState} that
 * {@link CheckpointBuilder} updates. O(log n) in size, whatever the range's length.
 *
 * @param nextIndex      index the next checkpoint will carry
 * @param prevCheckpoint hash of the last checkpoint closed (zeros before the first)
 * @param prevHead       chain hash before the open range's first event
 * @param firstSeq       sequence number of the open range's first event
 * @param openedAtMillis when the range's first event arrived; -1 while the range is empty
 * @param frontier       Merkle subtree roots of the range's leaves
 * @param logFrontier    Merkle subtree roots of every leaf of the partition so far (for the checkpoint's tree root)
 */
public record OpenRange(
        long nextIndex,
        Hash32 prevCheckpoint,
        Hash32 prevHead,
        long firstSeq,
        long openedAtMillis,
        MerkleFrontier frontier,
        MerkleFrontier logFrontier) {

    /** The range before a partition's first event. */
    public static OpenRange initial() {
        return new OpenRange(0, Hash32.ZERO, Hash32.ZERO, 1, -1, MerkleFrontier.empty(), MerkleFrontier.empty());
    }

    public boolean isEmpty() {
        return frontier.size() == 0;
    }
}
