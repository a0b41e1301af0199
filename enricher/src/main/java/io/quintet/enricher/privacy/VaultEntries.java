package io.quintet.enricher.privacy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the two vault stores hold. Nothing in them is readable without a master key: the data key is wrapped, the
 * pseudonym and the personal data are encrypted with it.
 * <ul>
 *   <li>{@code pii-subjects}, key = raw subject id: {@link SubjectEntry} (the wrapped data key and the encrypted
 *       pseudonym), for pseudonymizing events;</li>
 *   <li>{@code pii-vault}, key = pseudonym: {@link VaultEntry} (the wrapped data key and the encrypted subject id and
 *       personal data), for authorised re-identification.</li>
 * </ul>
 * Erasing a subject deletes both entries (tombstones in the compacted changelogs): every copy of its data key is
 * gone, so its pseudonym resolves to nothing and any stray ciphertext is unreadable.
 */
public final class VaultEntries {
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();

    private VaultEntries() {}

    public record SubjectEntry(
            @JsonProperty("kid") String kid,
            @JsonProperty("wrapped_key") byte[] wrappedKey,
            @JsonProperty("pseudonym") byte[] encryptedPseudonym) {}

    public record VaultEntry(
            @JsonProperty("kid") String kid,
            @JsonProperty("wrapped_key") byte[] wrappedKey,
            @JsonProperty("pii") byte[] encryptedPii,
            @JsonProperty("created_at") Instant createdAt) {}

    /** The decrypted content of a vault entry: the subject id and its latest personal data by field path. */
    public record Pii(
            @JsonProperty("subject_id") String subjectId,
            @JsonProperty("fields") Map<String, String> fields) {
        public Pii {
            fields = fields == null ? Map.of() : Map.copyOf(fields);
        }
    }

    public static byte[] toJson(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerializationException("vault value could not be written", e);
        }
    }

    public static <T> T fromJson(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new SerializationException("vault value could not be read as " + type.getSimpleName());
        }
    }

    /** The plaintext of a vault entry's personal data, before encryption (binary, see {@link VaultCodec}). */
    public static byte[] piiBytes(Pii pii) {
        return VaultCodec.write(pii);
    }

    /** Reads {@link #piiBytes} output, or the JSON written before it. */
    public static Pii pii(byte[] plaintext) {
        return VaultCodec.isLegacyJson(plaintext) ? fromJson(plaintext, Pii.class) : VaultCodec.readPii(plaintext);
    }

    /** The stores' serde of registry entries (binary; reads the JSON written before). */
    public static Serde<SubjectEntry> subjectSerde() {
        return serde(
                VaultCodec::write,
                b -> VaultCodec.isLegacyJson(b) ? fromJson(b, SubjectEntry.class) : VaultCodec.readSubject(b));
    }

    /** The stores' serde of vault entries (binary; reads the JSON written before). */
    public static Serde<VaultEntry> vaultSerde() {
        return serde(
                VaultCodec::write,
                b -> VaultCodec.isLegacyJson(b) ? fromJson(b, VaultEntry.class) : VaultCodec.readVault(b));
    }

    /** A JSON serde (the privacy hops' records). */
    public static <T> Serde<T> serde(Class<T> type) {
        return serde(VaultEntries::toJson, b -> fromJson(b, type));
    }

    private static <T> Serde<T> serde(
            java.util.function.Function<T, byte[]> write, java.util.function.Function<byte[], T> read) {
        return new Serde<>() {
            @Override
            public Serializer<T> serializer() {
                return (topic, v) -> v == null ? null : write.apply(v);
            }

            @Override
            public Deserializer<T> deserializer() {
                return (topic, b) -> b == null ? null : read.apply(b);
            }
        };
    }
}
