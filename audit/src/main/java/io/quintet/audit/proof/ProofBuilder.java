package io.quintet.audit.proof;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.checkpoint.Checkpoint;
import io.quintet.audit.checkpoint.CheckpointProofs;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.merkle.Merkle;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.ChainedRecord;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Produces {@link ProofDocument}s from a log (a Kafka topic range, an archive or a table: any
 * {@link ChainedEventSource}) and its checkpoints. The checkpoints are trusted only as far as the proof itself
 * shows: every proof is checked against its own checkpoints before it is returned, so a log that does not match
 * them yields an error here rather than a proof that fails later. Run {@code verify} to find out where.
 */
public final class ProofBuilder {
    private final String log;
    private final List<SignedCheckpoint> checkpoints;

    /** @param checkpoints as read; unreadable ones are skipped (verify reports them) */
    public ProofBuilder(String log, List<CheckpointRecord> checkpoints) {
        this.log = log;
        this.checkpoints = checkpoints.stream()
                .filter(r -> r.checkpoint() != null)
                .map(CheckpointRecord::checkpoint)
                .filter(c -> c.checkpoint().log().equals(log))
                .toList();
    }

    /** Which event to prove: a sequence number, or the first event with this id. */
    public sealed interface Target {
        record Seq(long seq) implements Target {}

        record EventId(String id) implements Target {}
    }

    /**
     * An inclusion proof for one event of the partition against the signed checkpoint whose range holds it.
     *
     * @throws ProofException when the event is not found, no checkpoint covers it yet, or the log's events of that
     *                        range do not match the checkpoint
     */
    public ProofDocument.Inclusion inclusion(ChainedEventSource source, int partition, Target target)
            throws IOException {
        List<ChainedRecord> events = events(source, partition);
        long seq;
        if (target instanceof Target.Seq s) {
            seq = s.seq();
        } else {
            String id = ((Target.EventId) target).id();
            seq = events.stream()
                    .filter(r -> id.equals(eventId(r)))
                    .findFirst()
                    .orElseThrow(() -> new ProofException(
                            "no event with id '" + id + "' in partition " + partition + " of " + source.describe()))
                    .link()
                    .seq();
        }
        SignedCheckpoint covering = checkpoints.stream()
                .filter(c -> c.checkpoint().partition() == partition
                        && c.checkpoint().covers(seq))
                .max(Comparator.comparingLong(c -> c.checkpoint().index()))
                .orElseThrow(() -> new ProofException("no checkpoint of partition " + partition + " covers seq " + seq
                        + " yet (events after the last checkpoint are protected by the HMAC chain only)"));
        Checkpoint c = covering.checkpoint();
        List<Hash32> leaves = new ArrayList<>();
        byte[] event = null;
        for (ChainedRecord r : events) {
            if (r.link().seq() >= c.firstSeq() && r.link().seq() <= c.lastSeq()) {
                leaves.add(Merkle.leafHash(r.canonical()));
                if (r.link().seq() == seq) {
                    event = r.canonical();
                }
            }
        }
        if (event == null || leaves.size() != c.size()) {
            throw new ProofException(source.describe() + " holds " + leaves.size() + " events of " + c.describe()
                    + (event == null ? ", not seq " + seq : "") + ": cannot prove; run verify");
        }
        CheckpointProofs.InclusionProof proof = CheckpointProofs.inclusion(c, leaves, seq);
        ProofDocument.Inclusion doc = new ProofDocument.Inclusion(covering, seq, event, proof.path());
        if (!CheckpointProofs.verifyInclusion(c, event, proof)) {
            throw new ProofException("the events of " + c.describe() + " in " + source.describe()
                    + " do not match its merkle_root: the log was changed; run verify");
        }
        return doc;
    }

    /**
     * A consistency proof between two checkpoints of a partition (by index); needs the partition's events from seq 1.
     *
     * @throws ProofException when a checkpoint is missing, the log does not start at seq 1, or it does not match
     */
    public ProofDocument.Consistency consistency(
            ChainedEventSource source, int partition, long olderIndex, long newerIndex) throws IOException {
        if (olderIndex > newerIndex) {
            throw new ProofException("the older checkpoint (#" + olderIndex + ") must not come after the newer one (#"
                    + newerIndex + ")");
        }
        SignedCheckpoint older = checkpoint(partition, olderIndex);
        SignedCheckpoint newer = checkpoint(partition, newerIndex);
        long size = newer.checkpoint().lastSeq();
        List<Hash32> leaves = new ArrayList<>();
        for (ChainedRecord r : events(source, partition)) {
            if (r.link().seq() != leaves.size() + 1) {
                break; // a gap (or a head that expired): the leaves so far are all that is usable
            }
            if (leaves.size() == size) {
                break;
            }
            leaves.add(Merkle.leafHash(r.canonical()));
        }
        if (leaves.size() < size) {
            throw new ProofException(source.describe() + " holds seq 1.." + leaves.size() + " of partition " + partition
                    + " without a gap; the proof needs seq 1.." + size + " (run verify --from-genesis)");
        }
        CheckpointProofs.ConsistencyProof proof =
                CheckpointProofs.consistency(leaves, older.checkpoint(), newer.checkpoint());
        if (!Merkle.root(leaves.subList(0, (int) older.checkpoint().treeSize()))
                        .equals(older.checkpoint().treeRoot())
                || !Merkle.root(leaves).equals(newer.checkpoint().treeRoot())
                || !CheckpointProofs.verifyConsistency(older.checkpoint(), newer.checkpoint(), proof)) {
            throw new ProofException("the events of partition " + partition + " in " + source.describe()
                    + " do not match the tree_root of " + older.checkpoint().describe() + " or "
                    + newer.checkpoint().describe()
                    + ": the log was changed; run verify");
        }
        return new ProofDocument.Consistency(older, newer, proof.path());
    }

    private SignedCheckpoint checkpoint(int partition, long index) {
        Optional<SignedCheckpoint> found = checkpoints.stream()
                .filter(c -> c.checkpoint().partition() == partition
                        && c.checkpoint().index() == index)
                .findFirst();
        return found.orElseThrow(() -> new ProofException("no checkpoint #" + index + " of partition " + partition));
    }

    /** The partition's readable chained events, in log order. */
    private static List<ChainedRecord> events(ChainedEventSource source, int partition) throws IOException {
        List<ChainedRecord> out = new ArrayList<>();
        source.read(r -> {
            if (r.partition() == partition
                    && r.problem() == null
                    && r.link() != null
                    && r.link().partition() == partition) {
                out.add(r);
            }
        });
        return out;
    }

    private static String eventId(ChainedRecord r) {
        JsonNode id = CanonicalJson.parseTree(r.canonical()).get("id");
        return id == null ? null : id.asText();
    }

    /** The proof cannot be produced from this log and these checkpoints. */
    public static final class ProofException extends RuntimeException {
        public ProofException(String message) {
            super(message);
        }
    }
}
