package io.quintet.enricher.privacy;

import io.quintet.enricher.privacy.VaultEntries.Pii;
import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

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

    /**
     * The pseudonym of a subject (raw id), for an app that holds a user id and wants that user's feed: from the
     * subject's own entry when this instance hosts its partition, else from the subject directory (a global store,
     * complete on every instance). Empty when the subject is unknown or erased.
     */
    public Optional<String> pseudonymOf(String subjectId) {
        VaultCrypto crypto = new VaultCrypto(keyring, telemetry);
        ReadOnlyKeyValueStore<String, SubjectEntry> subjects = streams.store(
                StoreQueryParameters.fromNameAndType(Vault.SUBJECTS, QueryableStoreTypes.keyValueStore()));
        SubjectEntry e = subjects.get(subjectId);
        if (e == null) {
            ReadOnlyKeyValueStore<String, SubjectEntry> directory = streams.store(
                    StoreQueryParameters.fromNameAndType(Vault.DIRECTORY, QueryableStoreTypes.keyValueStore()));
            e = directory.get(subjectId);
        }
        if (e == null) {
            return Optional.empty();
        }
        byte[] dk = crypto.unwrap(e.kid(), e.wrappedKey());
        return Optional.of(new String(
                crypto.decrypt(dk, e.encryptedPseudonym(), subjectId), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public Optional<Pii> apply(String pseudonym) {
        ReadOnlyKeyValueStore<String, VaultEntry> store =
                streams.store(StoreQueryParameters.fromNameAndType(Vault.VAULT, QueryableStoreTypes.keyValueStore()));
        Optional<Pii> pii = Vault.read(
                store.get(pseudonym),
                pseudonym,
                new VaultCrypto(keyring, telemetry)); // a Cipher per call: HTTP threads run concurrently
        telemetry.lookedUp(pii.isPresent());
        return pii;
    }
}
