package io.quintet.enricher.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The vault's crypto: envelope encryption, erasure, master key rotation without touching the log. */
class VaultTest {
    static final String K1 = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String K2 = "k2:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";
    static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");

    KeyValueStore<String, SubjectEntry> subjects;
    KeyValueStore<String, VaultEntry> vault;

    @BeforeEach
    void stores() {
        MockProcessorContext<Object, Object> ctx = new MockProcessorContext<>();
        subjects = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(Vault.SUBJECTS), Serdes.String(), VaultEntries.subjectSerde())
                .withLoggingDisabled()
                .build();
        vault = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(Vault.VAULT), Serdes.String(), VaultEntries.vaultSerde())
                .withLoggingDisabled()
                .build();
        subjects.init(ctx.getStateStoreContext(), subjects);
        vault.init(ctx.getStateStoreContext(), vault);
    }

    Vault vaultWith(String keys, String active) {
        return new Vault(subjects, vault, new VaultCrypto(Keyring.parse(keys, active)));
    }

    @Test
    void pseudonymsAreRandomStablePerSubjectAndUnrelatedToTheId() {
        Vault v = vaultWith(K1, "k1");
        String a = v.resolve("user-1", NOW).pseudonym();

        assertThat(v.resolve("user-1", NOW).pseudonym()).isEqualTo(a);
        assertThat(v.resolve("user-2", NOW).pseudonym()).isNotEqualTo(a);
        Vault other = new Vault(newStore(), newVaultStore(), new VaultCrypto(Keyring.parse(K1, "k1")));
        assertThat(other.resolve("user-1", NOW).pseudonym())
                .as("same id, same key, another vault")
                .isNotEqualTo(a);
    }

    @Test
    void rotationRewrapsEveryDataKeyUnderTheNewMasterKeyAndTheOldKeyCanThenBeDropped() {
        Vault before = vaultWith(K1, "k1");
        Vault.Subject alice = before.resolve("user-alice", NOW);
        before.remember(alice, Map.of("/actor/details/email", "alice@example.com"), NOW);
        String bob = before.resolve("user-bob", NOW).pseudonym();

        Vault rotating = vaultWith(K1 + "," + K2, "k2");
        assertThat(rotating.rotate(1)).isEqualTo(1); // bounded batches
        assertThat(rotating.rotate(10_000)).isEqualTo(3);
        assertThat(rotating.rotate(10_000)).isZero();
        assertThat(kids()).containsOnly("k2");

        Vault after = vaultWith(K2, "k2");
        assertThat(after.resolve("user-alice", NOW).pseudonym()).isEqualTo(alice.pseudonym());
        assertThat(after.resolve("user-bob", NOW).pseudonym()).isEqualTo(bob);
        assertThat(Vault.read(vault.get(alice.pseudonym()), alice.pseudonym(), new VaultCrypto(Keyring.parse(K2, "k2")))
                        .orElseThrow()
                        .fields())
                .containsEntry("/actor/details/email", "alice@example.com");
        assertThatThrownBy(() -> vaultWith("k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "k1")
                        .resolve("user-alice", NOW))
                .isInstanceOf(Keyring.UnknownMasterKeyException.class);
    }

    @Test
    void erasureRemovesBothEntriesSoThePseudonymResolvesToNothing() {
        Vault v = vaultWith(K1, "k1");
        String p = v.resolve("user-alice", NOW).pseudonym();

        assertThat(v.erase("user-alice")).contains(p);
        assertThat(vault.get(p)).isNull();
        assertThat(subjects.get("user-alice")).isNull();
        assertThat(v.erase("user-alice")).isEmpty();
        assertThat(v.resolve("user-alice", NOW).pseudonym()).isNotEqualTo(p);
    }

    @Test
    void aTamperedOrSwappedEntryIsRejected() {
        Vault v = vaultWith(K1, "k1");
        String a = v.resolve("user-a", NOW).pseudonym();
        v.resolve("user-b", NOW);
        subjects.put("user-a", subjects.get("user-b")); // swap: bound to another subject id

        assertThatThrownBy(() -> v.resolve("user-a", NOW)).isInstanceOf(VaultCrypto.VaultCryptoException.class);
        assertThat(a).startsWith("ps_");
    }

    @Test
    void keyringRejectsBadKeysWithoutEchoingThem() {
        assertThatThrownBy(() -> Keyring.parse("k1:c2hvcnQ=", null))
                .hasMessageContaining("k1")
                .hasMessageContaining("5 bytes")
                .hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> Keyring.parse(K1 + "," + K2, null)).hasMessageContaining("no active key");
        assertThat(Keyring.parse(K1 + "," + K2, "k2").toString())
                .doesNotContain("AAEC")
                .contains("active=k2");
    }

    private List<String> kids() {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, SubjectEntry> it = subjects.all()) {
            it.forEachRemaining((KeyValue<String, SubjectEntry> kv) -> out.add(kv.value.kid()));
        }
        try (KeyValueIterator<String, VaultEntry> it = vault.all()) {
            it.forEachRemaining((KeyValue<String, VaultEntry> kv) -> out.add(kv.value.kid()));
        }
        return out;
    }

    private KeyValueStore<String, SubjectEntry> newStore() {
        MockProcessorContext<Object, Object> ctx = new MockProcessorContext<>();
        KeyValueStore<String, SubjectEntry> s = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("s2"), Serdes.String(), VaultEntries.subjectSerde())
                .withLoggingDisabled()
                .build();
        s.init(ctx.getStateStoreContext(), s);
        return s;
    }

    private KeyValueStore<String, VaultEntry> newVaultStore() {
        MockProcessorContext<Object, Object> ctx = new MockProcessorContext<>();
        KeyValueStore<String, VaultEntry> s = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("v2"), Serdes.String(), VaultEntries.vaultSerde())
                .withLoggingDisabled()
                .build();
        s.init(ctx.getStateStoreContext(), s);
        return s;
    }

    @Test
    void aTasksCacheSharedByItsProcessorsForgetsAnErasedSubjectAndTheStoresStayTheTruth() {
        SubjectCache.PerTask caches = new SubjectCache.PerTask(100);
        org.apache.kafka.streams.processor.TaskId task = new org.apache.kafka.streams.processor.TaskId(0, 0);
        VaultCrypto crypto = new VaultCrypto(Keyring.parse(K1, "k1"));
        Vault pseudonymizing = new Vault(subjects, vault, crypto, caches.initialised("app", task));
        Vault erasing = new Vault(subjects, vault, crypto, caches.initialised("app", task));

        Vault.Subject alice = pseudonymizing.resolve("user-alice", NOW);
        pseudonymizing.remember(alice, Map.of("/actor/details/email", "alice@example.com"), NOW);
        pseudonymizing.remember(alice, Map.of("/actor/details/phone", "+44 20 7946 0958"), NOW);
        VaultEntry written = vault.get(alice.pseudonym());
        pseudonymizing.remember(alice, Map.of("/actor/details/email", "alice@example.com"), NOW);
        assertThat(vault.get(alice.pseudonym()).encryptedPii())
                .as("unchanged personal data is not written again" + " (a write would encrypt with a fresh IV)")
                .isEqualTo(written.encryptedPii());
        assertThat(Vault.read(vault.get(alice.pseudonym()), alice.pseudonym(), crypto)
                        .orElseThrow()
                        .fields())
                .as("what the store holds, read without the cache")
                .containsEntry("/actor/details/email", "alice@example.com")
                .containsEntry("/actor/details/phone", "+44 20 7946 0958");

        assertThat(erasing.erase("user-alice")).contains(alice.pseudonym());
        String after = pseudonymizing.resolve("user-alice", NOW).pseudonym();
        assertThat(after)
                .as("a new pseudonym after erasure, not the cached one")
                .isNotEqualTo(alice.pseudonym());
        assertThat(vault.get(alice.pseudonym())).isNull();
    }

    @Test
    void withARefreshIntervalAChangedAddressWaitsForTheIntervalAndANewFieldDoesNot() {
        SubjectCache.PerTask caches = new SubjectCache.PerTask(100);
        org.apache.kafka.streams.processor.TaskId task = new org.apache.kafka.streams.processor.TaskId(0, 2);
        VaultCrypto crypto = new VaultCrypto(Keyring.parse(K1, "k1"));
        Vault v = new Vault(subjects, vault, crypto, caches.initialised("app", task), null, Duration.ofMinutes(5));
        String ip = "/context/client/ip_address";
        Vault.Subject alice = v.resolve("user-alice", NOW);

        v.remember(alice, Map.of(ip, "198.51.100.1"), NOW);
        assertThat(stored(alice, crypto)).as("first address: written at once").containsEntry(ip, "198.51.100.1");
        v.remember(alice, Map.of(ip, "198.51.100.2"), NOW.plusSeconds(60));
        assertThat(stored(alice, crypto))
                .as("a changed address within 5 minutes")
                .containsEntry(ip, "198.51.100.1");
        v.remember(alice, Map.of(ip, "198.51.100.3", "/actor/details/email", "alice@example.com"), NOW.plusSeconds(90));
        assertThat(stored(alice, crypto))
                .as("a field the entry does not hold yet is written at once, with the latest address")
                .containsEntry("/actor/details/email", "alice@example.com")
                .containsEntry(ip, "198.51.100.3");
        v.remember(alice, Map.of(ip, "198.51.100.4"), NOW.plusSeconds(90 + 299));
        assertThat(stored(alice, crypto)).containsEntry(ip, "198.51.100.3");
        v.remember(alice, Map.of(ip, "198.51.100.5"), NOW.plusSeconds(90 + 300));
        assertThat(stored(alice, crypto))
                .as("the first change after the interval")
                .containsEntry(ip, "198.51.100.5");

        Vault restarted =
                new Vault(subjects, vault, crypto, caches.initialised("app", task), null, Duration.ofMinutes(5));
        Vault.Subject again = restarted.resolve("user-alice", NOW.plusSeconds(400));
        restarted.remember(again, Map.of(ip, "198.51.100.6"), NOW.plusSeconds(401));
        assertThat(stored(alice, crypto))
                .as("a task that has not written the entry since it started writes a change at once")
                .containsEntry(ip, "198.51.100.6");
    }

    @Test
    void withoutARefreshIntervalEveryChangedAddressIsWritten() {
        Vault v = vaultWith(K1, "k1");
        VaultCrypto crypto = new VaultCrypto(Keyring.parse(K1, "k1"));
        String ip = "/context/client/ip_address";
        Vault.Subject alice = v.resolve("user-alice", NOW);
        for (int i = 1; i <= 3; i++) {
            v.remember(alice, Map.of(ip, "198.51.100." + i), NOW.plusMillis(i));
            assertThat(stored(alice, crypto)).containsEntry(ip, "198.51.100." + i);
        }
    }

    private Map<String, String> stored(Vault.Subject s, VaultCrypto crypto) {
        return Vault.read(vault.get(s.pseudonym()), s.pseudonym(), crypto)
                .orElseThrow()
                .fields();
    }

    @Test
    void aTaskStartingAgainDoesNotTrustWhatItsCacheRemembered() {
        SubjectCache.PerTask caches = new SubjectCache.PerTask(100);
        org.apache.kafka.streams.processor.TaskId task = new org.apache.kafka.streams.processor.TaskId(0, 1);
        VaultCrypto crypto = new VaultCrypto(Keyring.parse(K1, "k1"));
        Vault before = new Vault(subjects, vault, crypto, caches.initialised("app", task));
        String first = before.resolve("user-bob", NOW).pseudonym();
        subjects.delete("user-bob"); // e.g. the stores were restored from a changelog in which bob was erased
        vault.delete(first);

        Vault restarted = new Vault(subjects, vault, crypto, caches.initialised("app", task));
        assertThat(restarted.resolve("user-bob", NOW).pseudonym()).isNotEqualTo(first);
        Vault otherApp = new Vault(newStore(), newVaultStore(), crypto, caches.initialised("other-app", task));
        assertThat(otherApp.resolve("user-carol", NOW).pseudonym())
                .isNotEqualTo(restarted.resolve("user-carol", NOW).pseudonym());
    }

    @Test
    void aClosedTasksCacheIsDroppedWithTheKeysItHeld() {
        SubjectCache.PerTask caches = new SubjectCache.PerTask(100);
        org.apache.kafka.streams.processor.TaskId task = new org.apache.kafka.streams.processor.TaskId(0, 2);
        SubjectCache before = caches.initialised("app", task);
        new Vault(subjects, vault, new VaultCrypto(Keyring.parse(K1, "k1")), before).resolve("user-dave", NOW);
        assertThat(before.size()).isEqualTo(1);

        caches.release("app", task);
        caches.release("app", task); // every processor of the task releases it; the second finds nothing

        assertThat(before.size()).isZero();
        assertThat(caches.initialised("app", task)).isNotSameAs(before);
    }
}
