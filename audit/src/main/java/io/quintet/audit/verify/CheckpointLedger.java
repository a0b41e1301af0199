package io.quintet.audit.verify;

import io.quintet.audit.chain.Hash32;
import io.quintet.audit.checkpoint.Checkpoint;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.Finding.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoints of one log, checked on their own: signatures against the published keys, and the chain of
 * checkpoints per partition (index continuity, prev_checkpoint hashes, ranges that follow on). Only checkpoints
 * with a valid signature are trusted for event verification.
 */
final class CheckpointLedger {
    private final Map<Integer, List<Checkpoint>> trusted = new TreeMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private int otherLogs;

    CheckpointLedger(String log, List<CheckpointRecord> records, PublicKeySet keys) {
        Map<Integer, List<Entry>> byPartition = new TreeMap<>();
        for (CheckpointRecord r : records) {
            if (r.checkpoint() == null) {
                findings.add(new Finding(Kind.BAD_CHECKPOINT, -1, null, r.position(), r.problem()));
                continue;
            }
            SignedCheckpoint s = r.checkpoint();
            Checkpoint c = s.checkpoint();
            if (log != null && !log.equals(c.log())) {
                otherLogs++;
                continue;
            }
            PublicKeySet.Verdict verdict = keys.verify(c.signingKeyId(), s.signedBytes(), s.signature());
            switch (verdict) {
                case VALID ->
                    byPartition
                            .computeIfAbsent(c.partition(), p -> new ArrayList<>())
                            .add(new Entry(r.position(), s));
                case UNKNOWN_KEY ->
                    findings.add(new Finding(
                            Kind.FORGED_CHECKPOINT,
                            c.partition(),
                            null,
                            r.position(),
                            c.describe() + " is signed with key id '" + c.signingKeyId()
                                    + "', which is not among the published keys " + keys.ids()));
                case BAD_SIGNATURE ->
                    findings.add(new Finding(
                            Kind.FORGED_CHECKPOINT,
                            c.partition(),
                            null,
                            r.position(),
                            c.describe() + ": signature does not verify with published key '" + c.signingKeyId()
                                    + "' (the checkpoint was altered or signed with another key)"));
            }
        }
        byPartition.forEach(this::chain);
    }

    private record Entry(Position position, SignedCheckpoint signed) {
        Checkpoint c() {
            return signed.checkpoint();
        }
    }

    private void chain(int partition, List<Entry> entries) {
        entries.sort(Comparator.comparingLong(e -> e.c().index()));
        List<Checkpoint> kept = new ArrayList<>();
        Entry prev = null;
        for (Entry e : entries) {
            Checkpoint c = e.c();
            if (prev != null && c.index() == prev.c().index()) {
                if (!java.util.Arrays.equals(
                        e.signed().signedBytes(), prev.signed().signedBytes())) {
                    findings.add(new Finding(
                            Kind.CHECKPOINT_CHAIN_BROKEN,
                            partition,
                            c.firstSeq(),
                            e.position(),
                            "two different validly signed checkpoints #" + c.index() + " (the other at "
                                    + prev.position() + "): the log was forked"));
                }
                continue; // an identical copy: ignore
            }
            if (prev == null) {
                if (c.index() == 0
                        && (!c.prevCheckpoint().equals(Hash32.ZERO)
                                || !c.prevHead().equals(Hash32.ZERO)
                                || c.firstSeq() != 1)) {
                    findings.add(new Finding(
                            Kind.CHECKPOINT_CHAIN_BROKEN,
                            partition,
                            c.firstSeq(),
                            e.position(),
                            c.describe()
                                    + " is the first checkpoint but does not start the chain at seq 1 from zeros"));
                }
            } else {
                Checkpoint p = prev.c();
                if (c.index() != p.index() + 1) {
                    findings.add(new Finding(
                            Kind.CHECKPOINT_CHAIN_BROKEN,
                            partition,
                            p.lastSeq() + 1,
                            e.position(),
                            "checkpoint #" + (p.index() + 1) + (c.index() > p.index() + 2 ? ".." + (c.index() - 1) : "")
                                    + " missing between " + p.describe() + " and " + c.describe()));
                } else if (!c.prevCheckpoint().equals(prev.signed().hash())) {
                    findings.add(new Finding(
                            Kind.CHECKPOINT_CHAIN_BROKEN,
                            partition,
                            c.firstSeq(),
                            e.position(),
                            c.describe() + " names prev_checkpoint "
                                    + c.prevCheckpoint().shortHex() + ".. but checkpoint #" + p.index() + " hashes to "
                                    + prev.signed().hash().shortHex() + ".."));
                } else if (c.firstSeq() != p.lastSeq() + 1 || !c.prevHead().equals(p.head())) {
                    findings.add(new Finding(
                            Kind.CHECKPOINT_CHAIN_BROKEN,
                            partition,
                            c.firstSeq(),
                            e.position(),
                            c.describe() + " does not continue " + p.describe() + " (expected first_seq "
                                    + (p.lastSeq() + 1) + " and prev_head "
                                    + p.head().shortHex() + "..)"));
                }
            }
            kept.add(c);
            prev = e;
        }
        trusted.put(partition, kept);
    }

    /** Validly signed checkpoints of a partition, by index. */
    List<Checkpoint> trusted(int partition) {
        return trusted.getOrDefault(partition, List.of());
    }

    java.util.Set<Integer> partitions() {
        return trusted.keySet();
    }

    List<Finding> findings() {
        return findings;
    }

    int otherLogs() {
        return otherLogs;
    }
}
