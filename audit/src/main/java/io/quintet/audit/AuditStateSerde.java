package io.quintet.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.audit.chain.ChainState;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.checkpoint.OpenRange;
import io.quintet.audit.merkle.MerkleFrontier;
import io.quintet.model.json.CanonicalJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serde of {@link AuditState} for a state store (key: the partition number). JSON, version 1:
 * <pre>
 * {"v":1,"partition":3,"seq":1042,"head":"..hex..","key_id":"chain-2026-01",
 *  "cp_index":1,"cp_prev":"..hex..","cp_prev_head":"..hex..","cp_first_seq":1001,"cp_opened_at":1762074930123,
 *  "cp_size":42,"cp_roots":["..hex..","..hex.."],"log_roots":["..hex..", ...]}
 * </pre>
 * {@code cp_roots} are the Merkle subtree roots of the open range (one per set bit of {@code cp_size});
 * {@code log_roots} those of the partition's whole log (one per set bit of {@code seq}).
 */
public final class AuditStateSerde implements Serde<AuditState> {
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();

    @Override
    public Serializer<AuditState> serializer() {
        return (topic, state) -> state == null ? null : toBytes(state);
    }

    @Override
    public Deserializer<AuditState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
    }

    public static byte[] toBytes(AuditState s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", 1);
        o.put("partition", s.chain().partition());
        o.put("seq", s.chain().seq());
        o.put("head", s.chain().head().hex());
        if (s.chain().keyId() != null) {
            o.put("key_id", s.chain().keyId());
        }
        OpenRange r = s.range();
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
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new SerializationException("audit state could not be written", e);
        }
    }

    public static AuditState fromBytes(byte[] bytes) {
        try {
            JsonNode o = MAPPER.readTree(bytes);
            if (o == null || o.path("v").asInt() != 1) {
                throw new SerializationException("audit state has an unknown version");
            }
            ChainState chain = new ChainState(o.path("partition").asInt(), o.path("seq").asLong(),
                    Hash32.fromHex(o.path("head").asText()), o.hasNonNull("key_id") ? o.get("key_id").asText() : null);
            List<Hash32> roots = new ArrayList<>();
            o.path("cp_roots").forEach(n -> roots.add(Hash32.fromHex(n.asText())));
            List<Hash32> logRoots = new ArrayList<>();
            o.path("log_roots").forEach(n -> logRoots.add(Hash32.fromHex(n.asText())));
            OpenRange range = new OpenRange(o.path("cp_index").asLong(), Hash32.fromHex(o.path("cp_prev").asText()),
                    Hash32.fromHex(o.path("cp_prev_head").asText()), o.path("cp_first_seq").asLong(),
                    o.path("cp_opened_at").asLong(), MerkleFrontier.of(o.path("cp_size").asLong(), roots),
                    MerkleFrontier.of(chain.seq(), logRoots));
            return new AuditState(chain, range);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("audit state could not be read", e);
        }
    }
}
