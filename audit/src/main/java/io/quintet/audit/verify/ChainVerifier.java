package io.quintet.audit.verify;

import io.quintet.audit.chain.HashChain;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.Finding.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies chained events against signed checkpoints. What it proves depends on the keys it has:
 * <ul>
 *   <li>with the published Ed25519 keys only: checkpoints are authentic and chain to each other; every event
 *       range a checkpoint covers has exactly the signed Merkle root and head (an altered event is found to the
 *       range); sequence numbers run without gaps, duplicates or reordering; every chainprev is the previous
 *       chainhash; nothing the checkpoints cover is cut off the end;</li>
 *   <li>with the HMAC keys as well: every event's chainhash is recomputed, so an altered event is found exactly,
 *       also in the tail that no checkpoint covers yet.</li>
 * </ul>
 * It reports the first break in each partition.
 */
public final class ChainVerifier {
    private final String log;
    private final PublicKeySet publicKeys;
    private final HashChain hmac;
    private final boolean requireGenesis;

    /**
     * @param log            the chained topic's name as checkpoints name it; null to accept any
     * @param publicKeys     the published checkpoint keys
     * @param hmacKeys       the chain keys, or null to verify without them
     * @param requireGenesis whether every partition must start at seq 1 (false when older events may have expired)
     */
    public ChainVerifier(String log, PublicKeySet publicKeys, HmacKeyring hmacKeys, boolean requireGenesis) {
        this.log = log;
        this.publicKeys = Objects.requireNonNull(publicKeys, "publicKeys");
        this.hmac = hmacKeys == null ? null : new HashChain(hmacKeys);
        this.requireGenesis = requireGenesis;
    }

    public VerificationReport verify(ChainedEventSource events, List<CheckpointRecord> checkpoints) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        CheckpointLedger ledger = new CheckpointLedger(log, checkpoints, publicKeys);
        findings.addAll(ledger.findings());
        if (ledger.otherLogs() > 0) {
            notes.add(ledger.otherLogs() + " checkpoint(s) of other logs ignored");
        }
        if (hmac == null) {
            notes.add("no HMAC keys given: chain hashes are not recomputed; events are checked against checkpoints");
        }
        Set<Integer> wanted = events.partitions().orElse(null);
        Map<Integer, PartitionCheck> checks = new TreeMap<>();
        events.read(r -> {
            if (r.partition() < 0) {
                findings.add(new Finding(Kind.UNDECODABLE, -1, null, r.position(), r.problem()));
                return;
            }
            if (wanted != null && !wanted.contains(r.partition())) {
                return;
            }
            checks.computeIfAbsent(
                            r.partition(),
                            p -> new PartitionCheck(p, ledger.trusted(p), hmac, requireGenesis, findings, notes))
                    .accept(r);
        });
        Set<Integer> all = new TreeSet<>(checks.keySet());
        all.addAll(wanted != null ? wanted : ledger.partitions());
        Map<Integer, VerificationReport.PartitionSummary> summaries = new LinkedHashMap<>();
        for (int p : all) {
            PartitionCheck check = checks.computeIfAbsent(
                    p, q -> new PartitionCheck(q, ledger.trusted(q), hmac, requireGenesis, findings, notes));
            check.finish(events.readsToEnd());
            summaries.put(p, check.summary());
        }
        return new VerificationReport(events.describe(), List.copyOf(findings), List.copyOf(notes), summaries);
    }
}
