package io.quintet.enricher.privacy;

import io.quintet.enricher.privacy.VaultEntries.Pii;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the vault of a running enricher (interactive query over the local {@value Vault#VAULT} stores) and decrypts
 * an entry. Covers the partitions this instance hosts: run the lookup API on each instance, or one instance, as
 * deployed; a pseudonym hosted elsewhere reads as not found here.
 */
public final class VaultQueries implements Function<String, Optional<Pii>> {
    private final KafkaStreams streams;
    private final Keyring keyring;

    public VaultQueries(KafkaStreams streams, Keyring keyring) {
        this.streams = streams;
        this.keyring = keyring;
    }

    @Override
    public Optional<Pii> apply(String pseudonym) {
        ReadOnlyKeyValueStore<String, VaultEntry> store = streams.store(
                StoreQueryParameters.fromNameAndType(Vault.VAULT, QueryableStoreTypes.keyValueStore()));
        return Vault.read(store.get(pseudonym), pseudonym, new VaultCrypto(keyring));
    }
}
