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
    private final VaultTelemetry telemetry;

    public VaultQueries(KafkaStreams streams, Keyring keyring) {
        this(streams, keyring, VaultTelemetry.noop());
    }

    /** Counts each lookup (found or not) and its decryptions in {@code telemetry}. */
    public VaultQueries(KafkaStreams streams, Keyring keyring, VaultTelemetry telemetry) {
        this.streams = streams;
        this.keyring = keyring;
        this.telemetry = telemetry;
    }

    @Override
    public Optional<Pii> apply(String pseudonym) {
        ReadOnlyKeyValueStore<String, VaultEntry> store = streams.store(
                StoreQueryParameters.fromNameAndType(Vault.VAULT, QueryableStoreTypes.keyValueStore()));
        Optional<Pii> pii = Vault.read(store.get(pseudonym), pseudonym, new VaultCrypto(keyring, telemetry)); // a Cipher per call: HTTP threads run concurrently
        telemetry.lookedUp(pii.isPresent());
        return pii;
    }
}
