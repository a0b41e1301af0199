package io.quintet.enricher.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.enricher.privacy.VaultEntries.Pii;
import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class VaultCodecTest {
    static final byte[] WRAPPED = "wrapped-data-key-bytes".getBytes(StandardCharsets.UTF_8);
    static final byte[] SEALED = {0, 1, 2, (byte) 0xff, 0x7b, 42};

    @Test
    void registryAndVaultEntriesRoundTripThroughTheBinaryFormat() {
        SubjectEntry s = new SubjectEntry("k1", WRAPPED, SEALED);
        SubjectEntry s2 = VaultEntries.subjectSerde()
                .deserializer()
                .deserialize("t", VaultEntries.subjectSerde().serializer().serialize("t", s));
        assertThat(s2.kid()).isEqualTo("k1");
        assertThat(s2.wrappedKey()).isEqualTo(WRAPPED);
        assertThat(s2.encryptedPseudonym()).isEqualTo(SEALED);

        VaultEntry v = new VaultEntry("k2", WRAPPED, SEALED, Instant.parse("2026-12-04T01:02:03.123456789Z"));
        byte[] bytes = VaultEntries.vaultSerde().serializer().serialize("t", v);
        assertThat(bytes[0]).as("version byte, never '{'").isEqualTo(VaultCodec.V1);
        VaultEntry v2 = VaultEntries.vaultSerde().deserializer().deserialize("t", bytes);
        assertThat(v2.kid()).isEqualTo("k2");
        assertThat(v2.wrappedKey()).isEqualTo(WRAPPED);
        assertThat(v2.encryptedPii()).isEqualTo(SEALED);
        assertThat(v2.createdAt()).isEqualTo(v.createdAt());
    }

    @Test
    void personalDataPlaintextRoundTripsWithUnicodeAndEmptyValues() {
        Pii pii = new Pii(
                "user-1001",
                Map.of(
                        "/actor/details/name",
                        "Zoë Ångström 山田",
                        "/context/client/ip_address",
                        "2001:db8::1",
                        "/actor/details/email",
                        ""));
        assertThat(VaultEntries.pii(VaultEntries.piiBytes(pii))).isEqualTo(pii);
        assertThat(VaultEntries.pii(VaultEntries.piiBytes(new Pii("u", Map.of()))))
                .isEqualTo(new Pii("u", Map.of()));
    }

    @Test
    void entriesWrittenAsJsonBeforeTheBinaryFormatStillRead() {
        VaultEntry v = new VaultEntry("k1", WRAPPED, SEALED, Instant.parse("2026-11-02T08:00:00Z"));
        VaultEntry fromJson = VaultEntries.vaultSerde().deserializer().deserialize("t", VaultEntries.toJson(v));
        assertThat(fromJson.encryptedPii()).isEqualTo(SEALED);
        assertThat(fromJson.createdAt()).isEqualTo(v.createdAt());
        SubjectEntry s = VaultEntries.subjectSerde()
                .deserializer()
                .deserialize("t", VaultEntries.toJson(new SubjectEntry("k1", WRAPPED, SEALED)));
        assertThat(s.wrappedKey()).isEqualTo(WRAPPED);
        Pii pii = new Pii("user-1", Map.of("/actor/details/email", "a@example.com"));
        assertThat(VaultEntries.pii(VaultEntries.toJson(pii))).isEqualTo(pii);
    }

    @Test
    void aTruncatedOrUnknownRecordIsASerializationErrorThatNamesNoContent() {
        byte[] bytes = VaultEntries.vaultSerde()
                .serializer()
                .serialize("t", new VaultEntry("k1", WRAPPED, SEALED, Instant.EPOCH));
        assertThatThrownBy(() -> VaultEntries.vaultSerde()
                        .deserializer()
                        .deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class)
                .hasMessageNotContaining("wrapped");
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> VaultEntries.vaultSerde().deserializer().deserialize("t", future))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
    }
}
