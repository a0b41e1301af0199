package io.quintet.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.audit.AuditChainer;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.checkpoint.Checkpoint;
import io.quintet.audit.checkpoint.CheckpointJson;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.testing.TestLog;
import io.quintet.audit.verify.Finding.Kind;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampering with an exported archive in each way, and the verifier pointing at the right place. */
class ArchiveVerificationTest {
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    private TestLog log;
    private List<String> events;
    private List<String> checkpoints;

    @BeforeEach
    void buildLog() {
        log = TestLog.standard(25).fill(PARTITIONS, 120); // 4 full checkpoints + a tail of 20 per partition
        events = new ArrayList<>(log.archiveLines());
        checkpoints = new ArrayList<>(log.checkpointLines());
    }

    private VerificationReport verify(boolean withHmacKeys) throws IOException {
        return verify(withHmacKeys ? log.hmacKeys : null, log.publicKeys);
    }

    private VerificationReport verify(HmacKeyring hmac, PublicKeySet keys) throws IOException {
        Path ev = dir.resolve("events.ndjson");
        Path cp = dir.resolve("checkpoints.ndjson");
        Archive.writeLines(ev, events);
        Archive.writeLines(cp, checkpoints);
        return new ChainVerifier(TestLog.LOG, keys, hmac, true).verify(Archive.events(ev), Archive.readCheckpoints(cp));
    }

    private static String lineRef(int index) {
        return "events.ndjson line " + (index + 1);
    }

    /** Edits the canonical event inside one archive line. */
    private static String editData(String line, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode ce = (ObjectNode) MAPPER.readTree(line);
        ObjectNode data;
        if (ce.has("data")) {
            data = (ObjectNode) ce.get("data");
        } else {
            data = (ObjectNode) MAPPER.readTree(
                    java.util.Base64.getDecoder().decode(ce.get("data_base64").asText()));
            ce.remove("data_base64");
        }
        edit.accept(data);
        ce.set("data", data);
        return MAPPER.writeValueAsString(ce);
    }

    @Test
    void anUntamperedArchiveVerifiesCleanWithAndWithoutTheHmacKeys() throws IOException {
        VerificationReport withKeys = verify(true);
        assertThat(withKeys.findings()).isEmpty();
        assertThat(withKeys.events()).isEqualTo(PARTITIONS * 120L);
        assertThat(withKeys.partitions().get(1).checkpointsMatched()).isEqualTo(4);
        assertThat(withKeys.partitions().get(1).hmacChecked()).isEqualTo(120);
        assertThat(withKeys.notes()).anyMatch(n -> n.contains("seq 101..120 are not sealed"));
        assertThat(verify(false).findings()).isEmpty();
    }

    @Test
    void aChangedFieldIsReportedAtItsEventWhenTheHmacKeysAreGiven() throws IOException {
        int i = log.lineOf(1, 57);
        events.set(
                i,
                editData(
                        events.get(i),
                        d -> ((ObjectNode) d.get("context"))
                                .put("status", "SUCCESS")
                                .put("attributes_tampered", true)));
        VerificationReport report = verify(true);
        assertThat(report.findings()).hasSize(1);
        Finding f = report.findings().get(0);
        assertThat(f.kind()).isEqualTo(Kind.ALTERED);
        assertThat(f.partition()).isEqualTo(1);
        assertThat(f.seq()).isEqualTo(57L);
        assertThat(f.position().description()).isEqualTo(lineRef(i));
        assertThat(f.message()).contains("does not match its chainhash");
    }

    @Test
    void aChangedFieldIsReportedAtItsCheckpointRangeWithoutTheHmacKeys() throws IOException {
        int i = log.lineOf(2, 57);
        events.set(i, editData(events.get(i), d -> ((ObjectNode) d.get("entity")).put("id", "INV-FORGED")));
        VerificationReport report = verify(false);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.ALTERED);
            assertThat(f.partition()).isEqualTo(2);
            assertThat(f.seq()).isEqualTo(75L); // end of the range 51..75 that holds seq 57
            assertThat(f.message()).contains("Merkle root over seq 51..75");
        });
    }

    @Test
    void aDeletedEventIsReportedAsMissingWhereItShouldBe() throws IOException {
        int i = log.lineOf(0, 40);
        int next = log.lineOf(0, 41) - 1; // where seq 41 sits once seq 40 is gone
        events.remove(i);
        VerificationReport report = verify(true);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.MISSING);
            assertThat(f.partition()).isEqualTo(0);
            assertThat(f.seq()).isEqualTo(40L);
            assertThat(f.position().description()).isEqualTo(lineRef(next));
            assertThat(f.message()).contains("expected seq 40 after seq 39").contains("found seq 41");
        });
    }

    @Test
    void twoSwappedEventsAreReportedAsReordered() throws IOException {
        int a = log.lineOf(1, 88);
        int b = log.lineOf(1, 89);
        String tmp = events.get(a);
        events.set(a, events.get(b));
        events.set(b, tmp);
        VerificationReport report = verify(true);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.REORDERED);
            assertThat(f.partition()).isEqualTo(1);
            assertThat(f.seq()).isEqualTo(88L);
            assertThat(f.position().description()).isEqualTo(lineRef(b));
            assertThat(f.message()).contains("seq 88 comes after seq 89 (at " + lineRef(a) + ")");
        });
    }

    @Test
    void aTruncatedTailIsReportedFromTheFirstMissingSequence() throws IOException {
        // drop partition 2 from seq 61 on: checkpoints still cover up to seq 100
        events.removeIf(l -> l.contains("\"chainpart\":\"2\"") && seqOf(l) >= 61);
        VerificationReport report = verify(true);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.TRUNCATED);
            assertThat(f.partition()).isEqualTo(2);
            assertThat(f.seq()).isEqualTo(61L);
            assertThat(f.message()).contains("log ends at seq 60").contains("seq 61..100 missing");
        });
    }

    private static long seqOf(String line) {
        try {
            return Long.parseLong(MAPPER.readTree(line).get("chainseq").asText());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCheckpointSignedWithAnotherKeyIsReportedAsForged() throws IOException {
        KeyPair attacker = Ed25519.generate();
        SignedCheckpoint real = CheckpointJson.parse(checkpoints.get(4));
        Checkpoint c = real.checkpoint();
        // the same statement with a doctored root, signed by the attacker under the genuine key id
        Checkpoint doctored = new Checkpoint(
                c.log(),
                c.partition(),
                c.index(),
                c.firstSeq(),
                c.lastSeq(),
                c.prevHead(),
                c.head(),
                Hash32.ZERO,
                c.treeRoot(),
                c.prevCheckpoint(),
                c.chainKeyId(),
                c.closedAt(),
                c.signingKeyId());
        byte[] input = CheckpointJson.signingInput(doctored);
        checkpoints.set(4, new SignedCheckpoint(doctored, input, Ed25519.sign(attacker.getPrivate(), input)).toJson());
        VerificationReport report = verify(true);
        assertThat(report.findings())
                .filteredOn(f -> f.kind() == Kind.FORGED_CHECKPOINT)
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.partition()).isEqualTo(c.partition());
                    assertThat(f.position().description()).isEqualTo("checkpoints.ndjson line 5");
                    assertThat(f.message())
                            .contains("checkpoint #" + c.index())
                            .contains("signature does not verify with published key 'ck-1'");
                });
        // the gap it leaves in the checkpoint chain is reported too
        assertThat(report.findings())
                .anyMatch(f -> f.kind() == Kind.CHECKPOINT_CHAIN_BROKEN && f.partition() == c.partition());
    }

    @Test
    void aForgerWhoRewritesEventsAndReSignsWithTheirOwnKeyIsCaught() throws IOException {
        // the attacker holds the HMAC key, rewrites partition 0 from seq 10 and re-signs its checkpoints
        KeyPair attacker = Ed25519.generate();
        TestLog forged =
                new TestLog(log.hmacKeys, new CheckpointSigner("ck-evil", attacker.getPrivate()), log.publicKeys, 25);
        for (long i = 0; i < 120; i++) {
            var e = TestLog.event(0, i);
            forged.append(0, i == 9 ? e.toBuilder().source("forged-source").build() : e, TestLog.T0 + i);
        }
        events.removeIf(l -> l.contains("\"chainpart\":\"0\""));
        events.addAll(forged.archiveLines());
        checkpoints.removeIf(l -> l.contains("\"partition\":0,"));
        checkpoints.addAll(forged.checkpointLines());
        VerificationReport report = verify(true);
        assertThat(report.findings())
                .filteredOn(f -> f.kind() == Kind.FORGED_CHECKPOINT)
                .hasSize(4)
                .allSatisfy(f ->
                        assertThat(f.message()).contains("key id 'ck-evil', which is not among the published keys"));
        // and with no trusted checkpoint left, the truncation of what the real ones covered shows nothing more:
        // the partition is reported as unsealed
        assertThat(report.partitions().get(0).checkpointsValid()).isZero();
    }

    @Test
    void aRemovedCheckpointBreaksTheCheckpointChain() throws IOException {
        SignedCheckpoint removed = CheckpointJson.parse(checkpoints.remove(7));
        VerificationReport report = verify(false);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_CHAIN_BROKEN);
            assertThat(f.partition()).isEqualTo(removed.checkpoint().partition());
            assertThat(f.message())
                    .contains("checkpoint #" + removed.checkpoint().index() + " missing");
        });
    }

    @Test
    void anEventRewrittenBySomeoneHoldingTheHmacKeyIsCaughtByTheSignedMerkleRoot() throws IOException {
        TestLog rewritten = new TestLog(log.hmacKeys, log.signer, log.publicKeys, 25);
        for (long i = 0; i < 120; i++) {
            var e = TestLog.event(1, i);
            rewritten.append(
                    1, i == 30 ? e.toBuilder().correlationId("rewritten").build() : e, TestLog.T0 + i);
        }
        events.removeIf(l -> l.contains("\"chainpart\":\"1\""));
        events.addAll(rewritten.archiveLines()); // valid HMACs all along, genuine checkpoints kept
        VerificationReport report = verify(true);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.ALTERED);
            assertThat(f.partition()).isEqualTo(1);
            assertThat(f.seq()).isEqualTo(50L);
            assertThat(f.message()).contains("Merkle root over seq 26..50");
        });
    }

    @Test
    void anEventMovedToAnotherPartitionsChainBreaksBothChains() throws IOException {
        int i = log.lineOf(0, 12);
        String moved = events.get(i).replace("\"chainpart\":\"0\"", "\"chainpart\":\"1\"");
        events.set(i, moved);
        VerificationReport report = verify(true);
        assertThat(report.first(0)).get().extracting(Finding::kind).isEqualTo(Kind.MISSING);
        assertThat(report.first(1)).get().satisfies(f -> assertThat(f.kind()).isIn(Kind.REORDERED, Kind.BROKEN_LINK));
    }

    @Test
    void keysRotatedMidStreamVerifyOldAndNewEventsAndCheckpoints() throws IOException {
        KeyPair kp1 = Ed25519.generate();
        KeyPair kp2 = Ed25519.generate();
        HmacKeyring ring1 = HmacKeyring.of("chain-1", Map.of("chain-1", TestLog.key(1)));
        HmacKeyring ring2 = HmacKeyring.of("chain-2", Map.of("chain-1", TestLog.key(1), "chain-2", TestLog.key(2)));
        PublicKeySet published =
                PublicKeySet.empty().with("ck-1", kp1.getPublic()).with("ck-2", kp2.getPublic());
        log = new TestLog(ring1, new CheckpointSigner("ck-1", kp1.getPrivate()), published, 25);
        for (long i = 0; i < 60; i++) {
            log.append(0, TestLog.event(0, i), TestLog.T0 + i);
        }
        AuditChainer rotated = TestLog.chainer(ring2, new CheckpointSigner("ck-2", kp2.getPrivate()), 25);
        log.rotate(rotated);
        for (long i = 60; i < 110; i++) {
            log.append(0, TestLog.event(0, i), TestLog.T0 + i);
        }
        events = new ArrayList<>(log.archiveLines());
        checkpoints = new ArrayList<>(log.checkpointLines());
        assertThat(log.entries.get(59).link().keyId()).isEqualTo("chain-1");
        assertThat(log.entries.get(60).link().keyId()).isEqualTo("chain-2");
        assertThat(log.checkpoints)
                .extracting(s -> s.checkpoint().signingKeyId())
                .containsExactly("ck-1", "ck-1", "ck-2", "ck-2");

        VerificationReport report = verify(ring2, published);
        assertThat(report.findings()).isEmpty();
        assertThat(report.partitions().get(0).hmacChecked()).isEqualTo(110);
        assertThat(report.partitions().get(0).checkpointsMatched()).isEqualTo(4);

        // a verifier that was only given the new HMAC key still checks the old events against the checkpoints
        VerificationReport newKeyOnly = verify(HmacKeyring.of(null, Map.of("chain-2", TestLog.key(2))), published);
        assertThat(newKeyOnly.findings())
                .singleElement()
                .extracting(Finding::kind)
                .isEqualTo(Kind.UNKNOWN_CHAIN_KEY);
        assertThat(newKeyOnly.partitions().get(0).checkpointsMatched()).isEqualTo(4);

        // and one whose key set lost the old public key reports the old checkpoints, not the new ones
        VerificationReport lostOldKey = verify(ring2, PublicKeySet.empty().with("ck-2", kp2.getPublic()));
        assertThat(lostOldKey.findings())
                .filteredOn(f -> f.kind() == Kind.FORGED_CHECKPOINT)
                .hasSize(2);
    }

    @Test
    void anUndecodableLineIsReportedWithItsLineNumber() throws IOException {
        int i = log.lineOf(2, 5);
        events.set(i, "{not json");
        VerificationReport report = verify(true);
        assertThat(report.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNDECODABLE);
            assertThat(f.position().description()).isEqualTo(lineRef(i));
        });
        assertThat(report.first(2)).get().satisfies(f -> assertThat(f.kind()).isEqualTo(Kind.MISSING));
    }

    @Test
    void aTamperedEnvelopeIsReported() throws IOException {
        int i = log.lineOf(0, 3);
        ObjectNode ce = (ObjectNode) MAPPER.readTree(events.get(i));
        ce.put("type", "billing.invoice.deleted");
        events.set(i, MAPPER.writeValueAsString(ce));
        VerificationReport report = verify(true);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNDECODABLE);
            assertThat(f.seq()).isEqualTo(3L);
            assertThat(f.message()).contains("envelope type does not match");
        });
    }

    @Test
    void archiveLinesCarryTheChainExtensionsAndTheEventAsJson() throws IOException {
        JsonNode line = MAPPER.readTree(events.get(0));
        assertThat(line.get("chainseq").asText()).isEqualTo("1");
        assertThat(line.get("chainprev").asText()).isEqualTo(Hash32.ZERO.hex());
        assertThat(line.get("chainhash").asText()).hasSize(64);
        assertThat(line.get("chainkeyid").asText()).isEqualTo("chain-1");
        assertThat(line.get("chainpart").asText()).isEqualTo("0");
    }
}
