package io.quintet.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.audit.chain.Hash32;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 6962 reference behaviour: the Certificate Transparency test vectors, then random trees against a naive MTH. */
class MerkleTest {
    private static final HexFormat HEX = HexFormat.of();
    /** The CT reference leaf inputs. */
    private static final List<String> CT_LEAVES =
            List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f");
    /** The CT reference roots for tree sizes 0..8. */
    private static final List<String> CT_ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static List<Hash32> ctLeafHashes() {
        return CT_LEAVES.stream().map(h -> Merkle.leafHash(HEX.parseHex(h))).toList();
    }

    private static List<Hash32> hashes(String... hex) {
        return java.util.Arrays.stream(hex).map(Hash32::fromHex).toList();
    }

    @Test
    void rootsMatchTheCertificateTransparencyReferenceForEverySize() {
        List<Hash32> leaves = ctLeafHashes();
        for (int n = 0; n <= 8; n++) {
            assertThat(Merkle.root(leaves.subList(0, n)).hex())
                    .as("root of size %d", n)
                    .isEqualTo(CT_ROOTS.get(n));
        }
    }

    @Test
    void inclusionProofsMatchTheReferencePaths() {
        List<Hash32> leaves = ctLeafHashes();
        assertThat(Merkle.inclusionProof(leaves, 0))
                .isEqualTo(hashes(
                        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        assertThat(Merkle.inclusionProof(leaves, 5))
                .isEqualTo(hashes(
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        Hash32 root8 = Hash32.fromHex(CT_ROOTS.get(8));
        assertThat(Merkle.verifyInclusion(leaves.get(5), 5, 8, Merkle.inclusionProof(leaves, 5), root8))
                .isTrue();
    }

    @Test
    void consistencyProofsMatchTheReferenceProofs() {
        List<Hash32> leaves = ctLeafHashes();
        assertThat(Merkle.consistencyProof(leaves, 2))
                .isEqualTo(hashes(
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        assertThat(Merkle.consistencyProof(leaves, 6))
                .isEqualTo(hashes(
                        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        assertThat(Merkle.consistencyProof(leaves.subList(0, 5), 2))
                .isEqualTo(hashes(
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
        for (int[] pair : new int[][] {{2, 8}, {6, 8}, {2, 5}}) {
            List<Hash32> tree = leaves.subList(0, pair[1]);
            assertThat(Merkle.verifyConsistency(
                            pair[0],
                            pair[1],
                            Hash32.fromHex(CT_ROOTS.get(pair[0])),
                            Hash32.fromHex(CT_ROOTS.get(pair[1])),
                            Merkle.consistencyProof(tree, pair[0])))
                    .isTrue();
        }
    }

    /** MTH straight from RFC 6962's recursive definition, as the reference for random trees. */
    private static Hash32 naiveRoot(List<Hash32> leaves) {
        if (leaves.isEmpty()) {
            return Merkle.emptyRoot();
        }
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = 1;
        while (k * 2 < leaves.size()) {
            k *= 2;
        }
        return Merkle.nodeHash(naiveRoot(leaves.subList(0, k)), naiveRoot(leaves.subList(k, leaves.size())));
    }

    private static List<Hash32> randomLeaves(SplittableRandom random, int n) {
        List<Hash32> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            leaves.add(Merkle.leafHash(data));
        }
        return leaves;
    }

    @Test
    void everyInclusionProofOfRandomTreesVerifiesAndTamperedOnesDoNot() {
        SplittableRandom random = new SplittableRandom(7);
        List<Hash32> all = randomLeaves(random, 70);
        for (int n = 1; n <= all.size(); n++) {
            List<Hash32> tree = all.subList(0, n);
            Hash32 root = Merkle.root(tree);
            assertThat(root).isEqualTo(naiveRoot(tree));
            for (int i = 0; i < n; i++) {
                List<Hash32> proof = Merkle.inclusionProof(tree, i);
                assertThat(proof.size()).isLessThanOrEqualTo(64 - Long.numberOfLeadingZeros(n));
                assertThat(Merkle.verifyInclusion(tree.get(i), i, n, proof, root))
                        .as("leaf %d of %d", i, n)
                        .isTrue();
                if (n > 1) {
                    assertThat(Merkle.verifyInclusion(tree.get(i), (i + 1) % n, n, proof, root))
                            .isFalse();
                    assertThat(Merkle.verifyInclusion(tree.get((i + 1) % n), i, n, proof, root))
                            .isFalse();
                    List<Hash32> shorter = proof.subList(0, proof.size() - 1);
                    assertThat(Merkle.verifyInclusion(tree.get(i), i, n, shorter, root))
                            .isFalse();
                    List<Hash32> longer = new ArrayList<>(proof);
                    longer.add(Hash32.ZERO);
                    assertThat(Merkle.verifyInclusion(tree.get(i), i, n, longer, root))
                            .isFalse();
                }
            }
        }
    }

    @Test
    void everyConsistencyProofOfRandomTreesVerifiesAndTamperedOnesDoNot() {
        SplittableRandom random = new SplittableRandom(11);
        List<Hash32> all = randomLeaves(random, 50);
        for (int n = 1; n <= all.size(); n++) {
            List<Hash32> tree = all.subList(0, n);
            Hash32 newRoot = Merkle.root(tree);
            for (int m = 0; m <= n; m++) {
                Hash32 oldRoot = Merkle.root(all.subList(0, m));
                List<Hash32> proof = Merkle.consistencyProof(tree, m);
                assertThat(Merkle.verifyConsistency(m, n, oldRoot, newRoot, proof))
                        .as("%d -> %d", m, n)
                        .isTrue();
                if (m > 0 && m < n) {
                    List<Hash32> flipped = new ArrayList<>(proof);
                    flipped.set(0, Merkle.nodeHash(proof.get(0), proof.get(0)));
                    assertThat(Merkle.verifyConsistency(m, n, oldRoot, newRoot, flipped))
                            .isFalse();
                    assertThat(Merkle.verifyConsistency(m, n, oldRoot, newRoot, proof.subList(0, proof.size() - 1)))
                            .isFalse();
                    // a different history of the same old size is not consistent
                    List<Hash32> forked = new ArrayList<>(tree);
                    forked.set(m - 1, Merkle.leafHash(new byte[] {9, 9, 9}));
                    assertThat(Merkle.verifyConsistency(m, n, Merkle.root(forked.subList(0, m)), newRoot, proof))
                            .isFalse();
                }
            }
        }
    }

    @Test
    void theFrontierGivesTheSameRootAsTheWholeTreeAndSurvivesARestore() {
        SplittableRandom random = new SplittableRandom(3);
        List<Hash32> leaves = randomLeaves(random, 300);
        MerkleFrontier f = MerkleFrontier.empty();
        for (int i = 0; i < leaves.size(); i++) {
            f = f.append(leaves.get(i));
            if (i % 37 == 0) {
                f = MerkleFrontier.of(f.size(), f.roots()); // as if stored and read back
            }
            assertThat(f.roots()).hasSize(Long.bitCount(i + 1));
            assertThat(f.root()).isEqualTo(naiveRoot(leaves.subList(0, i + 1)));
        }
    }
}
