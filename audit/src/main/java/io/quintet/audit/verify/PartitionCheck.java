package io.quintet.audit.verify;

import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.Checkpoint;
import io.quintet.audit.merkle.Merkle;
import io.quintet.audit.merkle.MerkleFrontier;
import io.quintet.audit.verify.Finding.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies one partition's records as they stream by, against its trusted checkpoints. Stops checking at the first
 * break (everything after it would only repeat it), but keeps looking at sequence numbers to tell a reordering
 * from a deletion.
 */
final class PartitionCheck {
    private final int partition;
    private final List<Checkpoint> checkpoints;
    private final HashChain hmac; // null: HMACs not checked
    private final boolean requireGenesis;
    private final List<Finding> findings;
    private final List<String> notes;

    private long events;
    private long firstSeq = -1;
    private long lastSeq;
    private Hash32 lastHash;
    private Position lastPosition;
    private boolean stopped;
    private Gap gap; // the MISSING finding that a later record may turn into REORDERED
    private long hmacChecked;
    private long checkpointsMatched;
    private int cpIndex;
    private MerkleFrontier frontier;
    private MerkleFrontier logFrontier; // the whole partition's tree, when read from seq 1
    private final Set<String> unknownKeys = new HashSet<>();

    private record Gap(int findingIndex, long expected, long found, Position at) {}

    PartitionCheck(
            int partition,
            List<Checkpoint> checkpoints,
            HashChain hmac,
            boolean requireGenesis,
            List<Finding> findings,
            List<String> notes) {
        this.partition = partition;
        this.checkpoints = checkpoints;
        this.hmac = hmac;
        this.requireGenesis = requireGenesis;
        this.findings = findings;
        this.notes = notes;
    }

    private void fail(Kind kind, Long seq, Position at, String message) {
        findings.add(new Finding(kind, partition, seq, at, message));
        stopped = true;
    }

    void accept(ChainedRecord r) {
        events++;
        ChainLink link = r.link();
        if (stopped) {
            if (gap != null && link != null && link.seq() >= gap.expected() && link.seq() < gap.found()) {
                findings.set(
                        gap.findingIndex(),
                        new Finding(
                                Kind.REORDERED,
                                partition,
                                link.seq(),
                                r.position(),
                                "events are out of order: seq " + link.seq() + " comes after seq " + gap.found()
                                        + " (at " + gap.at() + "); expected seq " + gap.expected() + " there"));
                gap = null;
            }
            return;
        }
        if (link == null) {
            fail(
                    Kind.UNDECODABLE,
                    lastSeq > 0 ? lastSeq + 1 : null,
                    r.position(),
                    r.problem() + (lastSeq > 0 ? " (after seq " + lastSeq + " at " + lastPosition + ")" : ""));
            return;
        }
        if (link.partition() != partition) {
            fail(
                    Kind.MISPLACED,
                    link.seq(),
                    r.position(),
                    "event of chain partition " + link.partition() + " (chainpart) stored in partition " + partition);
            return;
        }
        if (r.problem() != null) {
            fail(r.problemKind(), link.seq(), r.position(), r.problem());
            return;
        }
        if (firstSeq < 0) {
            if (!start(r, link)) {
                return;
            }
        } else if (!follows(r, link)) {
            return;
        }
        if (hmac != null) {
            if (hmac.canVerify(link.keyId())) {
                Hash32 computed = hmac.compute(link.keyId(), link.prev(), r.canonical());
                hmacChecked++;
                if (!computed.equals(link.hash())) {
                    fail(
                            Kind.ALTERED,
                            link.seq(),
                            r.position(),
                            "event content does not match its chainhash: HMAC over"
                                    + " chainprev and the canonical bytes is " + computed.shortHex()
                                    + ".., chainhash is "
                                    + link.hash().shortHex() + ".. (key '" + link.keyId() + "')");
                    return;
                }
            } else if (unknownKeys.add(link.keyId())) {
                findings.add(new Finding(
                        Kind.UNKNOWN_CHAIN_KEY,
                        partition,
                        link.seq(),
                        r.position(),
                        "HMAC key '" + link.keyId() + "' is not in the verifier's keyring; events hashed with it are"
                                + " checked against checkpoints only"));
            }
        }
        Hash32 leaf = Merkle.leafHash(r.canonical());
        if (logFrontier != null) {
            logFrontier = logFrontier.append(leaf);
        }
        if (!checkpoint(r, link, leaf)) {
            return;
        }
        lastSeq = link.seq();
        lastHash = link.hash();
        lastPosition = r.position();
    }

    private boolean start(ChainedRecord r, ChainLink link) {
        firstSeq = link.seq();
        if (link.seq() == 1) {
            if (!link.prev().equals(Hash32.ZERO)) {
                fail(
                        Kind.BROKEN_LINK,
                        1L,
                        r.position(),
                        "the first event's chainprev is " + link.prev().shortHex() + ".., not H_0 (zeros)");
                return false;
            }
            logFrontier = MerkleFrontier.empty();
            return true;
        }
        if (requireGenesis) {
            fail(
                    Kind.MISSING,
                    1L,
                    r.position(),
                    "the partition starts at seq " + link.seq() + ": seq 1.." + (link.seq() - 1) + " missing");
            return false;
        }
        Checkpoint anchor = checkpoints.stream()
                .filter(c -> c.lastSeq() == link.seq() - 1)
                .findFirst()
                .orElse(null);
        if (anchor != null && !anchor.head().equals(link.prev())) {
            fail(
                    Kind.BROKEN_LINK,
                    link.seq(),
                    r.position(),
                    "chainprev " + link.prev().shortHex() + ".. of the first event" + " read is not the head "
                            + anchor.head().shortHex() + ".. of " + anchor.describe());
            return false;
        }
        notes.add("partition " + partition + " is read from seq " + link.seq()
                + " (earlier events are outside the range" + " or expired)"
                + (anchor == null ? "; its first event's chainprev is not anchored by a checkpoint" : ""));
        return true;
    }

    private boolean follows(ChainedRecord r, ChainLink link) {
        long expected = lastSeq + 1;
        if (link.seq() > expected) {
            findings.add(new Finding(
                    Kind.MISSING,
                    partition,
                    expected,
                    r.position(),
                    "expected seq " + expected
                            + " after seq " + lastSeq + " (at " + lastPosition + "), found seq " + link.seq() + ": seq "
                            + expected
                            + (link.seq() - 1 > expected ? ".." + (link.seq() - 1) : "") + " missing"));
            gap = new Gap(findings.size() - 1, expected, link.seq(), r.position());
            stopped = true;
            return false;
        }
        if (link.seq() == lastSeq && link.hash().equals(lastHash)) {
            fail(
                    Kind.DUPLICATE,
                    link.seq(),
                    r.position(),
                    "seq " + link.seq() + " appears again (first at " + lastPosition + ")");
            return false;
        }
        if (link.seq() < expected) {
            fail(
                    Kind.REORDERED,
                    link.seq(),
                    r.position(),
                    "events are out of order: seq " + link.seq() + " comes after seq " + lastSeq + " (at "
                            + lastPosition + ")");
            return false;
        }
        if (!link.prev().equals(lastHash)) {
            fail(
                    Kind.BROKEN_LINK,
                    link.seq(),
                    r.position(),
                    "chainprev " + link.prev().shortHex() + ".. is not the chainhash " + lastHash.shortHex()
                            + ".. of seq " + lastSeq + " (at " + lastPosition + ")");
            return false;
        }
        return true;
    }

    /** Feeds the event to the Merkle tree of the checkpoint that covers it; checks root and head at its end. */
    private boolean checkpoint(ChainedRecord r, ChainLink link, Hash32 leaf) {
        while (cpIndex < checkpoints.size() && checkpoints.get(cpIndex).lastSeq() < link.seq()) {
            cpIndex++;
            frontier = null;
        }
        if (cpIndex >= checkpoints.size() || !checkpoints.get(cpIndex).covers(link.seq())) {
            return true;
        }
        Checkpoint c = checkpoints.get(cpIndex);
        if (link.seq() == c.firstSeq()) {
            if (!link.prev().equals(c.prevHead())) {
                fail(
                        Kind.BROKEN_LINK,
                        link.seq(),
                        r.position(),
                        "chainprev " + link.prev().shortHex() + ".. is not the prev_head "
                                + c.prevHead().shortHex() + ".. of " + c.describe());
                return false;
            }
            frontier = MerkleFrontier.empty();
        } else if (frontier == null) {
            if (link.seq() == firstSeq) {
                notes.add("partition " + partition + ": " + c.describe()
                        + " is only partly in the range; its Merkle root is not checked");
            }
            return true;
        }
        frontier = frontier.append(leaf);
        if (link.seq() == c.lastSeq()) {
            if (!frontier.root().equals(c.merkleRoot())) {
                fail(
                        Kind.ALTERED,
                        link.seq(),
                        r.position(),
                        "Merkle root over seq " + c.firstSeq() + ".." + c.lastSeq()
                                + " is " + frontier.root().shortHex() + "..; " + c.describe() + " signed "
                                + c.merkleRoot().shortHex()
                                + ".. (an event in that range was altered, replaced or re-hashed)");
                return false;
            }
            if (!link.hash().equals(c.head())) {
                fail(
                        Kind.ALTERED,
                        link.seq(),
                        r.position(),
                        "chainhash " + link.hash().shortHex() + ".. differs from the head "
                                + c.head().shortHex() + ".. signed in " + c.describe());
                return false;
            }
            if (logFrontier != null && !logFrontier.root().equals(c.treeRoot())) {
                fail(
                        Kind.ALTERED,
                        link.seq(),
                        r.position(),
                        "Merkle tree root over seq 1.." + c.lastSeq() + " is "
                                + logFrontier.root().shortHex() + "..; " + c.describe() + " signed "
                                + c.treeRoot().shortHex() + "..");
                return false;
            }
            checkpointsMatched++;
            frontier = null;
        }
        return true;
    }

    void finish(boolean readsToEnd) {
        Checkpoint last = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
        if (stopped || last == null) {
            if (!stopped && events > 0) {
                notes.add("partition " + partition + " has no trusted checkpoint: checked by chain links only");
            }
            return;
        }
        if (readsToEnd && last.lastSeq() > lastSeq) {
            findings.add(new Finding(
                    Kind.TRUNCATED,
                    partition,
                    lastSeq + 1,
                    lastPosition,
                    (events == 0
                                    ? "the partition has no events"
                                    : "the log ends at seq " + lastSeq + " (" + lastPosition + ")")
                            + " but " + last.describe() + " covers up to seq " + last.lastSeq() + ": seq "
                            + (lastSeq + 1)
                            + ".." + last.lastSeq() + " missing"));
        } else if (lastSeq > last.lastSeq()) {
            notes.add("partition " + partition + ": seq " + (last.lastSeq() + 1) + ".." + lastSeq
                    + " are not sealed by a checkpoint yet (checked by chain links only)");
        }
    }

    VerificationReport.PartitionSummary summary() {
        return new VerificationReport.PartitionSummary(
                events, Math.max(firstSeq, 0), lastSeq, hmacChecked, checkpointsMatched, checkpoints.size());
    }

    static List<Finding> newFindings() {
        return new ArrayList<>();
    }
}
