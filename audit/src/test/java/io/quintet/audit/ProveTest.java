package io.quintet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.testing.TestLog;
import io.quintet.audit.verify.Archive;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prove command: inclusion and consistency proofs from an archive, checked with the published keys alone. */
class ProveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path keys;
    Path events;
    Path checkpoints;
    TestLog log;

    private record Run(int exit, String out, String err) {}

    private static Run prove(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ProveMain.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void aLogOfTwoPartitionsWithCheckpointsEveryTenEvents() throws Exception {
        keys = dir.resolve("keys");
        assertThat(KeysMain.run(
                        new String[] {"init", "--dir", keys.toString()},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(new ByteArrayOutputStream())))
                .isZero();
        log = new TestLog(
                        HmacKeyring.load(keys.resolve("hmac.keys")),
                        CheckpointSigner.load(keys.resolve("signing.keys")),
                        PublicKeySet.load(keys.resolve("public-keys.json")),
                        10)
                .fill(2, 25); // seq 21..25: no checkpoint yet
        events = dir.resolve("events.ndjson");
        checkpoints = dir.resolve("checkpoints.ndjson");
        Archive.writeLines(events, log.archiveLines());
        Archive.writeLines(checkpoints, log.checkpointLines());
    }

    private Path proveToFile(String name, String... args) {
        Path out = dir.resolve(name);
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of(
                "--events", events.toString(), "--checkpoints", checkpoints.toString(), "--out", out.toString()));
        Run r = prove(a.toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        return out;
    }

    private Run check(Path proof, Path publicKeys) {
        return prove("check", "--proof", proof.toString(), "--public-keys", publicKeys.toString());
    }

    private Run check(Path proof) {
        return check(proof, keys.resolve("public-keys.json"));
    }

    /** A copy of the proof with one change. */
    private Path tampered(Path proof, String name, Consumer<ObjectNode> change) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(Files.readString(proof));
        change.accept(o);
        Path out = dir.resolve(name);
        Files.writeString(out, JSON.writeValueAsString(o));
        return out;
    }

    @Test
    void anInclusionProofByEventIdNamesItsSeqAndChecksValidWithThePublishedKeysAlone() throws Exception {
        Path proof =
                proveToFile("inclusion.json", "inclusion", "archive", "--partition", "1", "--event-id", "evt-1-16");
        ObjectNode o = (ObjectNode) JSON.readTree(Files.readString(proof));
        assertThat(o.get("type").asText()).isEqualTo("quintet.audit.inclusion_proof");
        assertThat(o.get("seq").asLong()).isEqualTo(17);
        assertThat(o.get("leaf_index").asLong()).isEqualTo(6);
        assertThat(o.get("tree_size").asLong()).isEqualTo(10);
        assertThat(o.get("event").asText()).contains("\"id\":\"evt-1-16\"");
        assertThat(o.get("path")).hasSize(4); // ceil(log2(10))
        assertThat(o.get("checkpoint").get("first_seq").asLong()).isEqualTo(11);

        Run ok = check(proof);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out())
                .startsWith("VALID inclusion proof: event seq 17 is in partition 1 checkpoint #1 (seq 11..20)");
        Path bySeq = proveToFile("by-seq.json", "inclusion", "archive", "--partition", "1", "--seq", "17");
        assertThat(Files.readString(bySeq)).isEqualTo(Files.readString(proof));
    }

    @Test
    void aTamperedInclusionProofFailsTheCheckSayingWhy() throws Exception {
        Path proof = proveToFile("inclusion.json", "inclusion", "archive", "--partition", "0", "--seq", "3");

        Path changedEvent = tampered(
                proof,
                "event.json",
                o -> o.put("event", o.get("event").asText().replace("\"id\":\"evt-0-2\"", "\"id\":\"evt-0-X\"")));
        Path changedSeq = tampered(proof, "seq.json", o -> o.put("seq", 4));
        Path changedPath = tampered(
                proof,
                "path.json",
                o -> ((ArrayNode) o.get("path")).set(1, JSON.getNodeFactory().textNode("00".repeat(32))));
        Path changedRoot = tampered(
                proof, "root.json", o -> ((ObjectNode) o.get("checkpoint")).put("merkle_root", "11".repeat(32)));

        for (Path bad : List.of(changedEvent, changedSeq, changedPath)) {
            Run r = check(bad);
            assertThat(r.exit()).as(bad.getFileName().toString()).isEqualTo(VerifyMain.NOT_INTACT);
            assertThat(r.out())
                    .startsWith("INVALID")
                    .contains(
                            "the audit path does not lead from the event's leaf hash to the merkle_root of partition 0 checkpoint #0 (seq 1..10)");
        }
        Run forged = check(changedRoot);
        assertThat(forged.exit()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(forged.out())
                .contains(
                        "checkpoint partition 0 checkpoint #0 (seq 1..10): signature does not verify with published key");

        assertThat(KeysMain.run(
                        new String[] {"init", "--dir", dir.resolve("other").toString(), "--signing-id", "ck-other"},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(new ByteArrayOutputStream())))
                .isZero();
        Run otherKeys = check(proof, dir.resolve("other").resolve("public-keys.json"));
        assertThat(otherKeys.exit()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(otherKeys.out()).contains("which is not among the published keys [ck-other]");
    }

    @Test
    void aConsistencyProofLinksTwoCheckpointsAndATamperedOneFails() throws Exception {
        Path proof = proveToFile(
                "consistency.json", "consistency", "archive", "--partition", "0", "--older", "0", "--newer", "1");
        ObjectNode o = (ObjectNode) JSON.readTree(Files.readString(proof));
        assertThat(o.get("type").asText()).isEqualTo("quintet.audit.consistency_proof");
        assertThat(o.get("old_size").asLong()).isEqualTo(10);
        assertThat(o.get("new_size").asLong()).isEqualTo(20);
        Run ok = check(proof);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out())
                .startsWith(
                        "VALID consistency proof: partition 0 checkpoint #1 (seq 11..20) (tree size 20) extends partition 0 checkpoint #0 (seq 1..10)");

        Path changedPath = tampered(
                proof,
                "path.json",
                p -> ((ArrayNode) p.get("path")).set(0, JSON.getNodeFactory().textNode("22".repeat(32))));
        Run bad = check(changedPath);
        assertThat(bad.exit()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(bad.out())
                .contains(
                        "the consistency path does not link the tree_root of partition 0 checkpoint #0 (seq 1..10) (size 10)");
        Path otherPartition =
                tampered(proof, "other.json", p -> p.set("newer", JSON.valueToTree(checkpointJson(1, 1))));
        Run mixed = check(otherPartition);
        assertThat(mixed.exit()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(mixed.out()).contains("are not of the same log and partition");
    }

    @Test
    void noProofIsWrittenForAnEventNoCheckpointCoversYetOrForALogThatNoLongerMatchesItsCheckpoint() throws Exception {
        Run uncovered = prove(
                "inclusion",
                "archive",
                "--partition",
                "0",
                "--seq",
                "22",
                "--events",
                events.toString(),
                "--checkpoints",
                checkpoints.toString());
        assertThat(uncovered.exit()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(uncovered.err()).contains("no checkpoint of partition 0 covers seq 22 yet");

        List<String> lines = new ArrayList<>(log.archiveLines());
        int line = log.lineOf(0, 5);
        lines.set(line, lines.get(line).replace("\"evt-0-4\"", "\"evt-0-4-changed\""));
        Archive.writeLines(events, lines);
        Run changed = prove(
                "inclusion",
                "archive",
                "--partition",
                "0",
                "--seq",
                "3",
                "--events",
                events.toString(),
                "--checkpoints",
                checkpoints.toString());
        assertThat(changed.exit()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(changed.err()).contains("do not match its merkle_root");
        assertThat(changed.out()).isEmpty();

        Run usage = prove(
                "inclusion",
                "archive",
                "--partition",
                "0",
                "--events",
                events.toString(),
                "--checkpoints",
                checkpoints.toString());
        assertThat(usage.exit()).isEqualTo(VerifyMain.USAGE);
        assertThat(usage.err()).contains("give exactly one of --seq N and --event-id ID");
    }

    private Object checkpointJson(int partition, long index) {
        return log.checkpoints.stream()
                .filter(c -> c.checkpoint().partition() == partition
                        && c.checkpoint().index() == index)
                .map(c -> {
                    try {
                        return JSON.readTree(c.toJson());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .findFirst()
                .orElseThrow();
    }
}
