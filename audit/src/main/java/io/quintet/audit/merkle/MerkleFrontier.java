package io.quintet.audit.merkle;

import io.quintet.audit.chain.Hash32;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Merkle tree being built leaf by leaf in O(log n) space: the roots of the perfect subtrees that make up the
 * leaves so far (one per set bit of the leaf count, largest first). Enough to give the RFC 6962 root at any size,
 * so a checkpoint builder's state stays small. Immutable.
 */
public final class MerkleFrontier {
    private static final MerkleFrontier EMPTY = new MerkleFrontier(0, List.of());

    private final long size;
    private final List<Hash32> roots;

    private MerkleFrontier(long size, List<Hash32> roots) {
        this.size = size;
        this.roots = roots;
    }

    public static MerkleFrontier empty() {
        return EMPTY;
    }

    /**
     * Restores a frontier from its size and subtree roots (as stored).
     *
     * @throws IllegalArgumentException when the number of roots does not match the size
     */
    public static MerkleFrontier of(long size, List<Hash32> roots) {
        if (size < 0 || Long.bitCount(size) != roots.size()) {
            throw new IllegalArgumentException("a frontier of " + size + " leaves has "
                    + Long.bitCount(Math.max(size, 0)) + " subtree roots, got " + roots.size());
        }
        return new MerkleFrontier(size, List.copyOf(roots));
    }

    public long size() {
        return size;
    }

    /** Subtree roots, largest subtree first. */
    public List<Hash32> roots() {
        return roots;
    }

    public MerkleFrontier append(Hash32 leafHash) {
        List<Hash32> next = new ArrayList<>(roots.size() + 1);
        next.addAll(roots);
        Hash32 carry = leafHash;
        long s = size;
        while ((s & 1) == 1) { // merge equal-sized subtrees, as binary addition carries
            carry = Merkle.nodeHash(next.remove(next.size() - 1), carry);
            s >>= 1;
        }
        next.add(carry);
        return new MerkleFrontier(size + 1, Collections.unmodifiableList(next));
    }

    /** MTH of the leaves so far: the subtree roots folded right to left. */
    public Hash32 root() {
        if (size == 0) {
            return Merkle.emptyRoot();
        }
        Hash32 r = roots.get(roots.size() - 1);
        for (int i = roots.size() - 2; i >= 0; i--) {
            r = Merkle.nodeHash(roots.get(i), r);
        }
        return r;
    }
}
