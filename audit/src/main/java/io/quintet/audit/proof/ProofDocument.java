package io.quintet.audit.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.audit.canonical.JsonCanonicalizer;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.checkpoint.Checkpoint;
import io.quintet.audit.checkpoint.CheckpointFormatException;
import io.quintet.audit.checkpoint.CheckpointJson;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.merkle.Merkle;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A proof a third party can check with nothing but the published keys (JWKS) and RFC 6962 / RFC 9162 Merkle
 * hashing: the signed checkpoint(s) it refers to travel inside it. Two kinds (JSON member {@code type}):
 * <ul>
 *   <li>{@code quintet.audit.inclusion_proof}: {@code event} (the canonical bytes of the event, RFC 8785 JSON, as a
 *       JSON string), {@code seq}, {@code leaf_index} = seq - first_seq, {@code tree_size} = the range's size,
 *       {@code leaf_hash} = SHA-256(0x00 || event bytes), {@code path} (audit path, leaf to root) and the signed
 *       {@code checkpoint}: valid when the checkpoint's signature verifies with its {@code signing_key_id} and the
 *       path leads from the leaf hash to its {@code merkle_root};</li>
 *   <li>{@code quintet.audit.consistency_proof}: {@code older} and {@code newer} signed checkpoints of one
 *       partition, {@code old_size} / {@code new_size} (their {@code last_seq}) and {@code path}: valid when both
 *       signatures verify and the path shows the tree under the older {@code tree_root} is a prefix of the tree
 *       under the newer one (no event of seq 1..old_size changed or removed since).</li>
 * </ul>
 */
public sealed interface ProofDocument {
    String INCLUSION = "quintet.audit.inclusion_proof";
    String CONSISTENCY = "quintet.audit.consistency_proof";
    int VERSION = 1;

    /** The JSON document (RFC 8785 form). */
    String toJson();

    /** What does not hold, in order; empty when the proof is valid under these published keys. */
    List<String> check(PublicKeySet publishedKeys);

    /** One event is event {@code seq} of the range a signed checkpoint covers. */
    record Inclusion(SignedCheckpoint checkpoint, long seq, byte[] event, List<Hash32> path) implements ProofDocument {
        public Inclusion {
            event = event.clone();
            path = List.copyOf(path);
        }

        @Override
        public byte[] event() {
            return event.clone();
        }

        @Override
        public String toJson() {
            Checkpoint c = checkpoint.checkpoint();
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("type", INCLUSION);
            o.put("version", VERSION);
            o.put("log", c.log());
            o.put("partition", c.partition());
            o.put("seq", seq);
            o.put("leaf_index", seq - c.firstSeq());
            o.put("tree_size", c.size());
            o.put("event", new String(event, StandardCharsets.UTF_8));
            o.put("leaf_hash", Merkle.leafHash(event).hex());
            o.set("path", Json.hashes(path));
            o.set("checkpoint", Json.tree(checkpoint));
            return JsonCanonicalizer.canonicalString(o);
        }

        @Override
        public List<String> check(PublicKeySet publishedKeys) {
            List<String> problems = new ArrayList<>();
            Checkpoint c = checkpoint.checkpoint();
            Json.signature(checkpoint, publishedKeys, "checkpoint", problems);
            if (!c.covers(seq)) {
                problems.add("seq " + seq + " is not in " + c.describe());
            } else if (!Merkle.verifyInclusion(
                    Merkle.leafHash(event), seq - c.firstSeq(), c.size(), path, c.merkleRoot())) {
                problems.add("the audit path does not lead from the event's leaf hash to the merkle_root of "
                        + c.describe() + " (the event, its seq or the path was changed)");
            }
            return problems;
        }
    }

    /** The partition log under {@code newer} extends the one under {@code older}. */
    record Consistency(SignedCheckpoint older, SignedCheckpoint newer, List<Hash32> path) implements ProofDocument {
        public Consistency {
            path = List.copyOf(path);
        }

        @Override
        public String toJson() {
            Checkpoint o1 = older.checkpoint();
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("type", CONSISTENCY);
            o.put("version", VERSION);
            o.put("log", o1.log());
            o.put("partition", o1.partition());
            o.put("old_size", o1.treeSize());
            o.put("new_size", newer.checkpoint().treeSize());
            o.set("path", Json.hashes(path));
            o.set("older", Json.tree(older));
            o.set("newer", Json.tree(newer));
            return JsonCanonicalizer.canonicalString(o);
        }

        @Override
        public List<String> check(PublicKeySet publishedKeys) {
            List<String> problems = new ArrayList<>();
            Checkpoint a = older.checkpoint();
            Checkpoint b = newer.checkpoint();
            Json.signature(older, publishedKeys, "older checkpoint", problems);
            Json.signature(newer, publishedKeys, "newer checkpoint", problems);
            if (!a.log().equals(b.log()) || a.partition() != b.partition()) {
                problems.add(a.describe() + " and " + b.describe() + " are not of the same log and partition");
            } else if (a.treeSize() > b.treeSize()) {
                problems.add(a.describe() + " is not older than " + b.describe());
            } else if (!Merkle.verifyConsistency(a.treeSize(), b.treeSize(), a.treeRoot(), b.treeRoot(), path)) {
                problems.add("the consistency path does not link the tree_root of " + a.describe() + " (size "
                        + a.treeSize() + ") to the tree_root of " + b.describe() + " (size " + b.treeSize()
                        + "): the log was rewritten in between, or the proof was changed");
            }
            return problems;
        }
    }

    /**
     * Parses a proof document; the sizes and hashes it states for convenience ({@code leaf_index}, {@code tree_size},
     * {@code leaf_hash}, {@code old_size}, {@code new_size}) are recomputed from the checkpoints and the event, not
     * trusted.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static ProofDocument parse(String json) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the proof is not JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("the proof is not a JSON object");
        }
        if (tree.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("unsupported proof version " + tree.path("version"));
        }
        List<Hash32> path = Json.hashes(tree.get("path"));
        String type = tree.path("type").asText();
        try {
            return switch (type) {
                case INCLUSION -> {
                    JsonNode seq = tree.get("seq");
                    JsonNode event = tree.get("event");
                    if (seq == null || !seq.canConvertToLong() || event == null || !event.isTextual()) {
                        throw new IllegalArgumentException(
                                "inclusion proof needs 'seq' (integer) and 'event' (string)");
                    }
                    yield new Inclusion(
                            Json.checkpoint(tree, "checkpoint"),
                            seq.longValue(),
                            event.textValue().getBytes(StandardCharsets.UTF_8),
                            path);
                }
                case CONSISTENCY ->
                    new Consistency(Json.checkpoint(tree, "older"), Json.checkpoint(tree, "newer"), path);
                default -> throw new IllegalArgumentException("not a proof: type is '" + type + "'");
            };
        } catch (CheckpointFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** JSON helpers of the proof documents. */
    final class Json {
        static final ObjectMapper MAPPER = CanonicalJson.newMapper();

        private Json() {}

        static ArrayNode hashes(List<Hash32> path) {
            ArrayNode a = MAPPER.createArrayNode();
            path.forEach(h -> a.add(h.hex()));
            return a;
        }

        static List<Hash32> hashes(JsonNode node) {
            if (node == null || !node.isArray()) {
                throw new IllegalArgumentException("the proof has no 'path' array");
            }
            List<Hash32> out = new ArrayList<>();
            for (JsonNode h : node) {
                if (!h.isTextual()) {
                    throw new IllegalArgumentException("'path' holds a non-string");
                }
                out.add(Hash32.fromHex(h.textValue()));
            }
            return out;
        }

        static JsonNode tree(SignedCheckpoint c) {
            return CanonicalJson.parseTree(c.toJson().getBytes(StandardCharsets.UTF_8));
        }

        static SignedCheckpoint checkpoint(JsonNode proof, String member) {
            JsonNode n = proof.get(member);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("the proof has no '" + member + "' checkpoint object");
            }
            try {
                return CheckpointJson.parse(MAPPER.writeValueAsBytes(n));
            } catch (IOException e) {
                throw new IllegalArgumentException("'" + member + "' cannot be read: " + e.getMessage(), e);
            }
        }

        static void signature(SignedCheckpoint s, PublicKeySet keys, String what, List<String> problems) {
            Checkpoint c = s.checkpoint();
            switch (keys.verify(c.signingKeyId(), s.signedBytes(), s.signature())) {
                case VALID -> {}
                case UNKNOWN_KEY ->
                    problems.add(what + " " + c.describe() + " is signed with key '" + c.signingKeyId()
                            + "', which is not among the published keys " + keys.ids());
                case BAD_SIGNATURE ->
                    problems.add(what + " " + c.describe() + ": signature does not verify with published key '"
                            + c.signingKeyId() + "' (the checkpoint was altered or signed with another key)");
            }
        }
    }
}
