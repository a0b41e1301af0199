package io.quintet.audit.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.audit.canonical.JsonCanonicalizer;
import io.quintet.audit.chain.Hash32;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The JSON form of a signed checkpoint: the value of an {@code audit.checkpoints} record and one line of a
 * checkpoints file.
 * <pre>
 * {"type":"quintet.audit.checkpoint","version":1,"log":"events.canonical","partition":3,"index":7,
 *  "first_seq":7001,"last_seq":8000,"prev_head":"..64 hex..","head":"..","merkle_root":"..","tree_root":"..",
 *  "prev_checkpoint":"..",
 *  "chain_key_id":"chain-2026-01","closed_at":"2026-11-02T09:15:30.123Z","signing_key_id":"ck-2026-01",
 *  "signature":"..base64url, no padding.."}
 * </pre>
 * The signature is Ed25519 over the RFC 8785 form of the object without {@code signature}; members a later version
 * adds are therefore covered too.
 */
public final class CheckpointJson {
    public static final String TYPE = "quintet.audit.checkpoint";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private CheckpointJson() {}

    /** The record key on {@code audit.checkpoints}: {@code <log>/<partition>}. */
    public static String recordKey(Checkpoint c) {
        return c.log() + "/" + c.partition();
    }

    /** The object that is signed (everything but the signature). */
    static ObjectNode body(Checkpoint c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", TYPE);
        o.put("version", VERSION);
        o.put("log", c.log());
        o.put("partition", c.partition());
        o.put("index", c.index());
        o.put("first_seq", c.firstSeq());
        o.put("last_seq", c.lastSeq());
        o.put("prev_head", c.prevHead().hex());
        o.put("head", c.head().hex());
        o.put("merkle_root", c.merkleRoot().hex());
        o.put("tree_root", c.treeRoot().hex());
        o.put("prev_checkpoint", c.prevCheckpoint().hex());
        if (c.chainKeyId() != null) {
            o.put("chain_key_id", c.chainKeyId());
        }
        o.put("closed_at", c.closedAt().toString());
        o.put("signing_key_id", c.signingKeyId());
        return o;
    }

    /** The bytes a signer signs for this checkpoint. */
    public static byte[] signingInput(Checkpoint c) {
        return JsonCanonicalizer.canonicalize(body(c));
    }

    public static String toJson(SignedCheckpoint s) {
        try {
            ObjectNode o = (ObjectNode) MAPPER.readTree(s.signedBytes());
            o.put("signature", B64.encodeToString(s.signature()));
            return JsonCanonicalizer.canonicalString(o);
        } catch (IOException e) {
            throw new UncheckedIOException("signed bytes of a checkpoint are not JSON", e);
        }
    }

    public static SignedCheckpoint parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a checkpoint; the signed bytes are recomputed from what was received (not from the parsed fields),
     * so any change to any member shows as a bad signature.
     *
     * @throws CheckpointFormatException naming the first missing or malformed member
     */
    public static SignedCheckpoint parse(byte[] json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException("checkpoint is not well-formed JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || !tree.isObject()) {
            throw new CheckpointFormatException("checkpoint is not a JSON object");
        }
        ObjectNode o = ((ObjectNode) tree).deepCopy();
        if (!TYPE.equals(o.path("type").asText())) {
            throw new CheckpointFormatException(
                    "not a checkpoint: type is '" + o.path("type").asText() + "'");
        }
        if (o.path("version").asInt(-1) != VERSION) {
            throw new CheckpointFormatException("unsupported checkpoint version " + o.path("version"));
        }
        JsonNode sig = o.remove("signature");
        if (sig == null || !sig.isTextual()) {
            throw new CheckpointFormatException("checkpoint has no signature");
        }
        byte[] signature;
        try {
            signature = B64D.decode(sig.textValue());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("signature is not base64url", e);
        }
        byte[] signed;
        try {
            signed = JsonCanonicalizer.canonicalize(o);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("checkpoint has no canonical form: " + e.getMessage(), e);
        }
        try {
            Checkpoint c = new Checkpoint(
                    text(o, "log"),
                    (int) number(o, "partition"),
                    number(o, "index"),
                    number(o, "first_seq"),
                    number(o, "last_seq"),
                    hash(o, "prev_head"),
                    hash(o, "head"),
                    hash(o, "merkle_root"),
                    hash(o, "tree_root"),
                    hash(o, "prev_checkpoint"),
                    o.hasNonNull("chain_key_id") ? o.get("chain_key_id").asText() : null,
                    instant(o, "closed_at"),
                    text(o, "signing_key_id"));
            return new SignedCheckpoint(c, signed, signature);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("checkpoint is malformed: " + e.getMessage(), e);
        }
    }

    private static String text(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw new CheckpointFormatException("checkpoint member '" + name + "' is missing or not a string");
        }
        return n.textValue();
    }

    private static long number(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new CheckpointFormatException("checkpoint member '" + name + "' is missing or not an integer");
        }
        return n.longValue();
    }

    private static Hash32 hash(ObjectNode o, String name) {
        try {
            return Hash32.fromHex(text(o, name));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("checkpoint member '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Instant instant(ObjectNode o, String name) {
        try {
            return Instant.parse(text(o, name));
        } catch (DateTimeParseException e) {
            throw new CheckpointFormatException("checkpoint member '" + name + "' is not an RFC 3339 UTC instant", e);
        }
    }
}
