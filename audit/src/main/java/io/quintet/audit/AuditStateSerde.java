package io.quintet.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.audit.chain.ChainState;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.checkpoint.OpenRange;
import io.quintet.audit.merkle.MerkleFrontier;
import io.quintet.model.json.CanonicalJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link AuditState} for a state store (key: the partition number). Written as binary, version 2 (the state
 * is rewritten on every chained event, and hex text cost more than the hashing): a version byte 2, then partition
 * (int), seq (long), head (32 bytes), key id (int length and UTF-8, -1 for none), checkpoint index, previous
 * checkpoint hash and head (32 bytes each), first seq, opened-at millis, open-range size (longs), then the open
 * range's Merkle roots and the whole log's (int count, 32 bytes each).
 * <p>
 * Still read: version 1, JSON
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
    static final byte V2 = 2;

    @Override
    public Serializer<AuditState> serializer() {
        return (topic, state) -> state == null ? null : toBytes(state);
    }

    @Override
    public Deserializer<AuditState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
    }

    public static byte[] toBytes(AuditState s) {
        OpenRange r = s.range();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                96 + 32 * (r.frontier().roots().size() + r.logFrontier().roots().size()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(V2);
            out.writeInt(s.chain().partition());
            out.writeLong(s.chain().seq());
            hash(out, s.chain().head());
            if (s.chain().keyId() == null) {
                out.writeInt(-1);
            } else {
                byte[] k = s.chain().keyId().getBytes(StandardCharsets.UTF_8);
                out.writeInt(k.length);
                out.write(k);
            }
            out.writeLong(r.nextIndex());
            hash(out, r.prevCheckpoint());
            hash(out, r.prevHead());
            out.writeLong(r.firstSeq());
            out.writeLong(r.openedAtMillis());
            out.writeLong(r.frontier().size());
            hashes(out, r.frontier().roots());
            hashes(out, r.logFrontier().roots());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    public static AuditState fromBytes(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return fromJson(bytes);
        }
        if (bytes.length == 0 || bytes[0] != V2) {
            throw new SerializationException("audit state has an unknown version");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            int partition = in.readInt();
            long seq = in.readLong();
            Hash32 head = hash(in);
            int keyLength = in.readInt();
            String keyId = null;
            if (keyLength >= 0) {
                if (keyLength > in.available()) {
                    throw new IOException("bad key id length");
                }
                byte[] k = new byte[keyLength];
                in.readFully(k);
                keyId = new String(k, StandardCharsets.UTF_8);
            }
            ChainState chain = new ChainState(partition, seq, head, keyId);
            long index = in.readLong();
            Hash32 prev = hash(in);
            Hash32 prevHead = hash(in);
            long firstSeq = in.readLong();
            long openedAt = in.readLong();
            long size = in.readLong();
            List<Hash32> roots = hashes(in);
            List<Hash32> logRoots = hashes(in);
            if (in.available() != 0) {
                throw new IOException("trailing bytes");
            }
            return new AuditState(
                    chain,
                    new OpenRange(
                            index,
                            prev,
                            prevHead,
                            firstSeq,
                            openedAt,
                            MerkleFrontier.of(size, roots),
                            MerkleFrontier.of(seq, logRoots)));
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("audit state could not be read", e);
        }
    }

    private static void hash(DataOutputStream out, Hash32 h) throws IOException {
        out.write(h.bytes());
    }

    private static void hashes(DataOutputStream out, List<Hash32> hs) throws IOException {
        out.writeInt(hs.size());
        for (Hash32 h : hs) {
            hash(out, h);
        }
    }

    private static Hash32 hash(DataInputStream in) throws IOException {
        byte[] b = new byte[Hash32.LENGTH];
        in.readFully(b);
        return Hash32.of(b);
    }

    private static List<Hash32> hashes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64) { // one root per bit of a long
            throw new IOException("bad root count " + n);
        }
        List<Hash32> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(hash(in));
        }
        return out;
    }

    /** Version 1 (JSON), written before version 2. */
    static AuditState fromJson(byte[] bytes) {
        try {
            JsonNode o = MAPPER.readTree(bytes);
            if (o == null || o.path("v").asInt() != 1) {
                throw new SerializationException("audit state has an unknown version");
            }
            ChainState chain = new ChainState(
                    o.path("partition").asInt(),
                    o.path("seq").asLong(),
                    Hash32.fromHex(o.path("head").asText()),
                    o.hasNonNull("key_id") ? o.get("key_id").asText() : null);
            List<Hash32> roots = new ArrayList<>();
            o.path("cp_roots").forEach(n -> roots.add(Hash32.fromHex(n.asText())));
            List<Hash32> logRoots = new ArrayList<>();
            o.path("log_roots").forEach(n -> logRoots.add(Hash32.fromHex(n.asText())));
            OpenRange range = new OpenRange(
                    o.path("cp_index").asLong(),
                    Hash32.fromHex(o.path("cp_prev").asText()),
                    Hash32.fromHex(o.path("cp_prev_head").asText()),
                    o.path("cp_first_seq").asLong(),
                    o.path("cp_opened_at").asLong(),
                    MerkleFrontier.of(o.path("cp_size").asLong(), roots),
                    MerkleFrontier.of(chain.seq(), logRoots));
            return new AuditState(chain, range);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("audit state could not be read", e);
        }
    }
}
