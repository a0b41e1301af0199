package io.quintet.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.core.builder.CloudEventBuilder;
import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.Checkpoint;
import io.quintet.audit.checkpoint.CheckpointBuilder;
import io.quintet.audit.checkpoint.CheckpointJson;
import io.quintet.audit.checkpoint.CheckpointPolicy;
import io.quintet.audit.checkpoint.CheckpointProofs;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.merkle.Merkle;
import io.quintet.audit.testing.TestLog;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.ChainedRecord;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.Finding;
import io.quintet.audit.verify.Position;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AuditChainerTest {

    @Test
    void eachHashIsHmacSha256OfThePreviousHashAndTheCanonicalBytes() throws Exception {
        TestLog log = TestLog.standard(1000);
        CanonicalEvent e1 = TestLog.event(0, 0);
        CanonicalEvent e2 = TestLog.event(0, 1);
        var l1 = log.append(0, e1, TestLog.T0).link();
        var l2 = log.append(0, e2, TestLog.T0).link();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TestLog.key(1), "HmacSHA256"));
        mac.update(new byte[32]);
        byte[] h1 = mac.doFinal(CanonicalForm.of(e1));
        mac.update(h1);
        byte[] h2 = mac.doFinal(CanonicalForm.of(e2));
        assertThat(l1.seq()).isEqualTo(1);
        assertThat(l1.prev()).isEqualTo(Hash32.ZERO);
        assertThat(l1.hash()).isEqualTo(Hash32.of(h1));
        assertThat(l2.seq()).isEqualTo(2);
        assertThat(l2.prev()).isEqualTo(l1.hash());
        assertThat(l2.hash()).isEqualTo(Hash32.of(h2));
        assertThat(l2.keyId()).isEqualTo("chain-1");
    }

    @Test
    void aCheckpointClosesEveryNEventsAndChainsToThePreviousOne() {
        TestLog log = TestLog.standard(10).fill(1, 35);
        assertThat(log.checkpoints).hasSize(3);
        Checkpoint c0 = log.checkpoints.get(0).checkpoint();
        Checkpoint c1 = log.checkpoints.get(1).checkpoint();
        assertThat(c0.index()).isZero();
        assertThat(c0.firstSeq()).isEqualTo(1);
        assertThat(c0.lastSeq()).isEqualTo(10);
        assertThat(c0.prevCheckpoint()).isEqualTo(Hash32.ZERO);
        assertThat(c0.head()).isEqualTo(log.entries.get(9).link().hash());
        assertThat(c1.prevCheckpoint()).isEqualTo(log.checkpoints.get(0).hash());
        assertThat(c1.prevHead()).isEqualTo(c0.head());
        assertThat(c1.firstSeq()).isEqualTo(11);
        List<Hash32> leaves = log.entries.subList(10, 20).stream()
                .map(e -> Merkle.leafHash(CanonicalForm.of(e.event())))
                .toList();
        assertThat(c1.merkleRoot()).isEqualTo(Merkle.root(leaves));
        List<Hash32> all = log.entries.subList(0, 20).stream()
                .map(e -> Merkle.leafHash(CanonicalForm.of(e.event())))
                .toList();
        assertThat(c1.treeRoot()).isEqualTo(Merkle.root(all));
        assertThat(c1.log()).isEqualTo(TestLog.LOG);
        assertThat(c1.signingKeyId()).isEqualTo("ck-1");
        assertThat(log.publicKeys.verify(
                        "ck-1",
                        log.checkpoints.get(1).signedBytes(),
                        log.checkpoints.get(1).signature()))
                .isEqualTo(io.quintet.audit.keys.PublicKeySet.Verdict.VALID);
    }

    @Test
    void aQuietPartitionsCheckpointClosesOnTimeAndNeverEmpty() {
        TestLog log = TestLog.standard(1000);
        AuditChainer chainer = new AuditChainer(
                new HashChain(log.hmacKeys),
                new CheckpointBuilder(TestLog.LOG, log.signer, CheckpointPolicy.of(1000, Duration.ofSeconds(60))));
        AuditState s = AuditState.initial(4);
        assertThat(chainer.closeIfDue(s, TestLog.T0 + 999_999)).isEmpty(); // nothing to seal
        s = chainer.append(s, 4, TestLog.event(4, 0), TestLog.T0).state();
        s = chainer.append(s, 4, TestLog.event(4, 1), TestLog.T0 + 30_000).state();
        assertThat(chainer.closeIfDue(s, TestLog.T0 + 59_999)).isEmpty();
        Optional<AuditChainer.Closed> closed = chainer.closeIfDue(s, TestLog.T0 + 60_000);
        assertThat(closed).isPresent();
        Checkpoint c = closed.get().checkpoint().checkpoint();
        assertThat(c.partition()).isEqualTo(4);
        assertThat(c.firstSeq()).isEqualTo(1);
        assertThat(c.lastSeq()).isEqualTo(2);
        assertThat(c.closedAt().toEpochMilli()).isEqualTo(TestLog.T0 + 60_000);
        assertThat(chainer.closeIfDue(closed.get().state(), TestLog.T0 + 999_999))
                .isEmpty();
        // an event arriving after the interval closes the range it joins at once
        var late = chainer.append(closed.get().state(), 4, TestLog.event(4, 2), TestLog.T0 + 200_000);
        assertThat(late.checkpoint()).isEmpty();
        var later = chainer.append(late.state(), 4, TestLog.event(4, 3), TestLog.T0 + 260_000);
        assertThat(later.checkpoint())
                .get()
                .extracting(sc -> sc.checkpoint().lastSeq())
                .isEqualTo(4L);
    }

    @Test
    void theStoredStateRoundTripsSoARestartContinuesTheChainWithoutAGapOrFork() {
        TestLog log = TestLog.standard(7).fill(1, 20);
        AuditState before = log.states.get(0);
        AuditState restored = AuditStateSerde.fromBytes(AuditStateSerde.toBytes(before));
        assertThat(restored).usingRecursiveComparison().isEqualTo(before);
        String json = new String(version1Json(before), StandardCharsets.UTF_8);
        assertThat(json)
                .contains(
                        "\"partition\":0",
                        "\"seq\":20",
                        "\"key_id\":\"chain-1\"",
                        "\"cp_index\":2",
                        "\"cp_first_seq\":15");
        assertThat(AuditStateSerde.fromBytes(version1Json(before)))
                .as("a state stored as JSON (version 1) still reads")
                .usingRecursiveComparison()
                .isEqualTo(before);
        assertThat(AuditStateSerde.toBytes(before)[0])
                .as("written as version 2, binary")
                .isEqualTo(AuditStateSerde.V2);

        AuditChainer fresh = TestLog.chainer(log.hmacKeys, log.signer, 7);
        var next = fresh.append(restored, 0, TestLog.event(0, 20), TestLog.T0 + 20);
        var control = fresh.append(before, 0, TestLog.event(0, 20), TestLog.T0 + 20);
        assertThat(next.link()).isEqualTo(control.link());
        assertThat(next.link().seq()).isEqualTo(21);
        assertThat(next.checkpoint())
                .get()
                .extracting(c -> c.checkpoint().firstSeq())
                .isEqualTo(15L);
    }

    @Test
    void aStateOfAnotherPartitionIsRefused() {
        TestLog log = TestLog.standard(7).fill(2, 3);
        AuditChainer chainer = TestLog.chainer(log.hmacKeys, log.signer, 7);
        assertThatThrownBy(() -> chainer.append(log.states.get(0), 1, TestLog.event(1, 3), TestLog.T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state of partition 0 used for partition 1");
    }

    @Test
    void checkpointJsonRoundTripsAndAnyChangedMemberBreaksTheSignature() {
        TestLog log = TestLog.standard(5).fill(1, 10);
        SignedCheckpoint s = log.checkpoints.get(1);
        String json = s.toJson();
        assertThat(json)
                .startsWith("{\"chain_key_id\":\"chain-1\",\"closed_at\":")
                .contains("\"type\":\"quintet.audit.checkpoint\"");
        SignedCheckpoint parsed = CheckpointJson.parse(json);
        assertThat(parsed.checkpoint()).isEqualTo(s.checkpoint());
        assertThat(parsed.hash()).isEqualTo(s.hash());
        assertThat(log.publicKeys.verify("ck-1", parsed.signedBytes(), parsed.signature()))
                .isEqualTo(io.quintet.audit.keys.PublicKeySet.Verdict.VALID);
        SignedCheckpoint changed = CheckpointJson.parse(json.replace("\"last_seq\":10", "\"last_seq\":11"));
        assertThat(log.publicKeys.verify("ck-1", changed.signedBytes(), changed.signature()))
                .isEqualTo(io.quintet.audit.keys.PublicKeySet.Verdict.BAD_SIGNATURE);
        SignedCheckpoint extra =
                CheckpointJson.parse(json.replace("{\"chain_key_id\"", "{\"note\":\"x\",\"chain_key_id\""));
        assertThat(log.publicKeys.verify("ck-1", extra.signedBytes(), extra.signature()))
                .isEqualTo(io.quintet.audit.keys.PublicKeySet.Verdict.BAD_SIGNATURE);
        assertThatThrownBy(() -> CheckpointJson.parse(json.replace("\"merkle_root\":\"", "\"merkle_root\":\"zz")))
                .hasMessageContaining("merkle_root");
    }

    @Test
    void anEventIsProvedInItsCheckpointAndTwoCheckpointsAreProvedConsistent() {
        TestLog log = TestLog.standard(16).fill(1, 50);
        Checkpoint c1 = log.checkpoints.get(1).checkpoint(); // seq 17..32
        Checkpoint c2 = log.checkpoints.get(2).checkpoint(); // seq 33..48
        List<Hash32> logLeaves = log.entries.stream()
                .map(e -> Merkle.leafHash(CanonicalForm.of(e.event())))
                .toList();
        List<Hash32> range = logLeaves.subList(16, 32);
        CanonicalEvent e20 = log.entries.get(19).event();
        var proof = CheckpointProofs.inclusion(c1, range, 20);
        assertThat(proof.path()).hasSize(4);
        assertThat(CheckpointProofs.verifyInclusion(c1, CanonicalForm.of(e20), proof))
                .isTrue();
        assertThat(CheckpointProofs.verifyInclusion(
                        c1, CanonicalForm.of(e20.toBuilder().id("other").build()), proof))
                .isFalse();
        assertThat(CheckpointProofs.verifyInclusion(
                        c1, CanonicalForm.of(log.entries.get(20).event()), proof))
                .isFalse();

        var consistency = CheckpointProofs.consistency(logLeaves, c1, c2);
        assertThat(consistency.path().size()).isLessThanOrEqualTo(2 * 6);
        assertThat(CheckpointProofs.verifyConsistency(c1, c2, consistency)).isTrue();
        // a later tree head over a history rewritten before c1 cannot be proved consistent with c1
        List<Hash32> rewritten = new ArrayList<>(logLeaves);
        rewritten.set(3, Merkle.leafHash("x".getBytes(StandardCharsets.UTF_8)));
        Checkpoint forgedHead = new Checkpoint(
                c2.log(),
                c2.partition(),
                c2.index(),
                c2.firstSeq(),
                c2.lastSeq(),
                c2.prevHead(),
                c2.head(),
                c2.merkleRoot(),
                Merkle.root(rewritten.subList(0, 48)),
                c2.prevCheckpoint(),
                c2.chainKeyId(),
                c2.closedAt(),
                c2.signingKeyId());
        var forged = CheckpointProofs.consistency(rewritten, c1, forgedHead);
        assertThat(CheckpointProofs.verifyConsistency(c1, forgedHead, forged)).isFalse();
        assertThat(CheckpointProofs.verifyConsistency(c1, forgedHead, consistency))
                .isFalse();
    }

    /** An untampered chain of 100,000 events, chained across a restart, verifies clean. */
    @Test
    void aHundredThousandEventChainWithARestartInTheMiddleVerifiesClean() throws Exception {
        TestLog log = TestLog.standard(1000);
        AuditChainer chainer = TestLog.chainer(log.hmacKeys, log.signer, 1000);
        List<SignedCheckpoint> checkpoints = new ArrayList<>();
        List<ChainedRecord> records = new ArrayList<>();
        AuditState state = null;
        for (int i = 0; i < 100_000; i++) {
            if (i == 50_500) { // hard restart: only the stored bytes survive, and a new chainer picks up
                state = AuditStateSerde.fromBytes(AuditStateSerde.toBytes(state));
                chainer = TestLog.chainer(log.hmacKeys, log.signer, 1000);
            }
            CanonicalEvent e = TestLog.event(0, i);
            var a = chainer.append(state, 0, e, TestLog.T0 + i);
            state = a.state();
            a.checkpoint().ifPresent(checkpoints::add);
            var ce = ChainExtensions.withLink(CloudEventBuilder.v1(CloudEventMapper.toCloudEvent(e, "k")), a.link())
                    .build();
            records.add(ChainedRecord.ofCloudEvent(0, Position.offset(i), ce));
        }
        assertThat(checkpoints).hasSize(100);
        ChainedEventSource source = new ChainedEventSource() {
            public String describe() {
                return "memory";
            }

            public Optional<Set<Integer>> partitions() {
                return Optional.empty();
            }

            public boolean readsToEnd() {
                return true;
            }

            public void read(Consumer<ChainedRecord> sink) {
                records.forEach(sink);
            }
        };
        List<CheckpointRecord> cps = checkpoints.stream()
                .map(c -> CheckpointRecord.parse(Position.offset(0), c.toJson().getBytes(StandardCharsets.UTF_8)))
                .toList();
        VerificationReport report =
                new ChainVerifier(TestLog.LOG, log.publicKeys, log.hmacKeys, true).verify(source, cps);
        assertThat(report.findings()).isEmpty();
        assertThat(report.partitions().get(0).hmacChecked()).isEqualTo(100_000);
        assertThat(report.partitions().get(0).checkpointsMatched()).isEqualTo(100);
    }

    /** The interface the warm store implements: rows with chain columns; a field changed in a row is found. */
    @Test
    void aTableOfRowsWithChainColumnsVerifiesAndAChangedRowIsFound() throws Exception {
        TestLog log = TestLog.standard(10).fill(1, 40);
        List<ChainedRecord> rows = new ArrayList<>();
        for (int i = 0; i < log.entries.size(); i++) {
            var e = log.entries.get(i);
            CanonicalEvent stored = i == 22
                    ? e.event().toBuilder().correlationId("edited-in-the-table").build()
                    : e.event();
            rows.add(ChainedRecord.ofRow(0, new Position(i, "row " + i), e.link(), CanonicalJson.toBytes(stored)));
        }
        ChainedEventSource table = new ChainedEventSource() {
            public String describe() {
                return "table warm.events";
            }

            public Optional<Set<Integer>> partitions() {
                return Optional.of(Set.of(0));
            }

            public boolean readsToEnd() {
                return true;
            }

            public void read(Consumer<ChainedRecord> sink) {
                rows.forEach(sink);
            }
        };
        List<CheckpointRecord> cps = log.checkpoints.stream()
                .map(c -> CheckpointRecord.parse(Position.offset(0), c.toJson().getBytes(StandardCharsets.UTF_8)))
                .toList();
        VerificationReport report =
                new ChainVerifier(TestLog.LOG, log.publicKeys, log.hmacKeys, true).verify(table, cps);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.ALTERED);
            assertThat(f.seq()).isEqualTo(23L);
            assertThat(f.position().description()).isEqualTo("row 22");
        });
    }

    /** A source that sees a row was changed (columns disagree with the hashed JSON) reports it as ALTERED there. */
    @Test
    void aRowItsSourceFoundChangedIsReportedAsAlteredAtItsSequenceNumber() throws Exception {
        TestLog log = TestLog.standard(10).fill(1, 20);
        List<ChainedRecord> rows = new ArrayList<>();
        for (int i = 0; i < log.entries.size(); i++) {
            var e = log.entries.get(i);
            Position at = new Position(i, "row " + i);
            rows.add(
                    i == 12
                            ? ChainedRecord.altered(0, at, e.link(), "column entity_id differs from the hashed JSON")
                            : ChainedRecord.ofRow(0, at, e.link(), CanonicalJson.toBytes(e.event())));
        }
        ChainedEventSource table = new ChainedEventSource() {
            public String describe() {
                return "table warm.events";
            }

            public Optional<Set<Integer>> partitions() {
                return Optional.of(Set.of(0));
            }

            public boolean readsToEnd() {
                return true;
            }

            public void read(Consumer<ChainedRecord> sink) {
                rows.forEach(sink);
            }
        };
        List<CheckpointRecord> cps = log.checkpoints.stream()
                .map(c -> CheckpointRecord.parse(Position.offset(0), c.toJson().getBytes(StandardCharsets.UTF_8)))
                .toList();
        VerificationReport report =
                new ChainVerifier(TestLog.LOG, log.publicKeys, log.hmacKeys, true).verify(table, cps);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.ALTERED);
            assertThat(f.seq()).isEqualTo(13L);
            assertThat(f.position().description()).isEqualTo("row 12");
            assertThat(f.message()).contains("entity_id");
        });
    }

    /** The state as version 1 (JSON) wrote it, before the binary version 2. */
    static byte[] version1Json(AuditState s) {
        com.fasterxml.jackson.databind.node.ObjectNode o =
                io.quintet.model.json.CanonicalJson.newMapper().createObjectNode();
        o.put("v", 1);
        o.put("partition", s.chain().partition());
        o.put("seq", s.chain().seq());
        o.put("head", s.chain().head().hex());
        if (s.chain().keyId() != null) {
            o.put("key_id", s.chain().keyId());
        }
        io.quintet.audit.checkpoint.OpenRange r = s.range();
        o.put("cp_index", r.nextIndex());
        o.put("cp_prev", r.prevCheckpoint().hex());
        o.put("cp_prev_head", r.prevHead().hex());
        o.put("cp_first_seq", r.firstSeq());
        o.put("cp_opened_at", r.openedAtMillis());
        o.put("cp_size", r.frontier().size());
        var roots = o.putArray("cp_roots");
        r.frontier().roots().forEach(h -> roots.add(h.hex()));
        var logRoots = o.putArray("log_roots");
        r.logFrontier().roots().forEach(h -> logRoots.add(h.hex()));
        try {
            return io.quintet.model.json.CanonicalJson.newMapper().writeValueAsBytes(o);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
