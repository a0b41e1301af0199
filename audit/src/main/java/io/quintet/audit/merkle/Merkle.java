package io.quintet.audit.merkle;

import io.quintet.audit.chain.Hash32;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 (Certificate Transparency) Merkle tree hashing over SHA-256, section 2.1: leaf hash
 * {@code SHA-256(0x00 || data)}, node hash {@code SHA-256(0x01 || left || right)}, the empty tree hashes to
 * {@code SHA-256("")}, and a tree of n leaves splits at the largest power of two smaller than n. Audit paths
 * (inclusion proofs) and consistency proofs follow RFC 6962 section 2.1.1 / 2.1.2; their verification follows the
 * algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2. Proofs hold O(log n) hashes.
 */
public final class Merkle {
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final Hash32 EMPTY = Hash32.of(newSha256().digest());

    private Merkle() {}

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Merkle::newSha256);

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** This thread's SHA-256 digest, reset. */
    static MessageDigest sha256() {
        MessageDigest d = DIGEST.get();
        d.reset();
        return d;
    }

    /** MTH({}) = SHA-256 of the empty string. */
    public static Hash32 emptyRoot() {
        return EMPTY;
    }

    public static Hash32 leafHash(byte[] data) {
        MessageDigest d = sha256();
        d.update(LEAF_PREFIX);
        d.update(data);
        return Hash32.of(d.digest());
    }

    public static Hash32 nodeHash(Hash32 left, Hash32 right) {
        MessageDigest d = sha256();
        d.update(NODE_PREFIX);
        left.writeTo(d);
        right.writeTo(d);
        return Hash32.of(d.digest());
    }

    /** MTH over already-hashed leaves. */
    public static Hash32 root(List<Hash32> leafHashes) {
        MerkleFrontier f = MerkleFrontier.empty();
        for (Hash32 leaf : leafHashes) {
            f = f.append(leaf);
        }
        return f.root();
    }

    /** Largest power of two strictly smaller than n (n >= 2). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static Hash32 subtreeRoot(List<Hash32> leaves, int from, int to) {
        return root(leaves.subList(from, to));
    }

    /** PATH(m, D[n]) of RFC 6962 2.1.1: the audit path of leaf {@code index} in the tree of all {@code leafHashes}. */
    public static List<Hash32> inclusionProof(List<Hash32> leafHashes, int index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a tree of " + leafHashes.size());
        }
        List<Hash32> proof = new ArrayList<>();
        path(leafHashes, 0, leafHashes.size(), index, proof);
        return proof;
    }

    private static void path(List<Hash32> leaves, int from, int to, int m, List<Hash32> out) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int k = (int) split(n);
        if (m < k) {
            path(leaves, from, from + k, m, out);
            out.add(subtreeRoot(leaves, from + k, to));
        } else {
            path(leaves, from + k, to, m - k, out);
            out.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /** PROOF(m, D[n]) of RFC 6962 2.1.2: proves the tree of the first {@code oldSize} leaves is a prefix of all of them. */
    public static List<Hash32> consistencyProof(List<Hash32> leafHashes, int oldSize) {
        int n = leafHashes.size();
        if (oldSize < 0 || oldSize > n) {
            throw new IllegalArgumentException("old size " + oldSize + " is outside 0.." + n);
        }
        List<Hash32> proof = new ArrayList<>();
        if (oldSize > 0 && oldSize < n) {
            subproof(leafHashes, 0, n, oldSize, true, proof);
        }
        return proof;
    }

    private static void subproof(List<Hash32> leaves, int from, int to, int m, boolean complete, List<Hash32> out) {
        int n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(subtreeRoot(leaves, from, to));
            }
            return;
        }
        int k = (int) split(n);
        if (m <= k) {
            subproof(leaves, from, from + k, m, complete, out);
            out.add(subtreeRoot(leaves, from + k, to));
        } else {
            subproof(leaves, from + k, to, m - k, false, out);
            out.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /** RFC 9162 2.1.3.2: does {@code proof} show leaf {@code index} of a tree of {@code size} leaves under {@code root}? */
    public static boolean verifyInclusion(Hash32 leafHash, long index, long size, List<Hash32> proof, Hash32 root) {
        if (index < 0 || index >= size || leafHash == null || root == null || proof == null) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        Hash32 r = leafHash;
        for (Hash32 p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.equals(root);
    }

    /** RFC 9162 2.1.4.2: does {@code proof} show the tree of {@code oldSize} leaves is a prefix of the one of {@code newSize}? */
    public static boolean verifyConsistency(
            long oldSize, long newSize, Hash32 oldRoot, Hash32 newRoot, List<Hash32> proof) {
        if (oldSize < 0 || newSize < oldSize || oldRoot == null || newRoot == null || proof == null) {
            return false;
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && oldRoot.equals(newRoot);
        }
        if (oldSize == 0) {
            return proof.isEmpty() && oldRoot.equals(EMPTY);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<Hash32> path = proof;
        if (Long.bitCount(oldSize) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(oldRoot);
            path.addAll(proof);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        Hash32 fr = path.get(0);
        Hash32 sr = path.get(0);
        for (Hash32 c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.equals(oldRoot) && sr.equals(newRoot);
    }
}
