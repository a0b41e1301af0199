package io.quintet.enricher.privacy;

import io.quintet.enricher.privacy.VaultEntries.Pii;
import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The PII vault over its two state stores (see {@link VaultEntries}), as one task's processors use it. A subject's
 * entries live in the task of the subject's own partition (events are keyed by actor id, erasure requests by
 * subject id, and references to other subjects travel there through the privacy hops), so each subject has
 * exactly one registry entry and one pseudonym until erased. Not thread-safe: one per processor instance.
 */
public final class Vault {
    public static final String SUBJECTS = "pii-subjects";
    public static final String VAULT = "pii-vault";
    /** The global store of every subject's registry entry (the directory; see {@link SubjectDirectory}). */
    public static final String DIRECTORY = "pii-directory";

    private static final int DIRECTORY_CACHE = 10_000;

    private final KeyValueStore<String, SubjectEntry> subjects;
    private final KeyValueStore<String, VaultEntry> vault;
    private final VaultCrypto crypto;
    private final SubjectCache cache;
    private final ReadOnlyKeyValueStore<String, SubjectEntry> directory;
    private final long refreshMillis;
    private final Map<String, DirectoryHit> directoryHits = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DirectoryHit> eldest) {
            return size() > DIRECTORY_CACHE;
        }
    };
    private final List<SubjectDirectory.Entry> published = new ArrayList<>();

    private record DirectoryHit(byte[] sealed, String pseudonym) {}

    public Vault(
            KeyValueStore<String, SubjectEntry> subjects, KeyValueStore<String, VaultEntry> vault, VaultCrypto crypto) {
        this(subjects, vault, crypto, SubjectCache.none());
    }

    /** With the task's {@link SubjectCache} in front of the stores. */
    public Vault(
            KeyValueStore<String, SubjectEntry> subjects,
            KeyValueStore<String, VaultEntry> vault,
            VaultCrypto crypto,
            SubjectCache cache) {
        this(subjects, vault, crypto, cache, null);
    }

    /** With the task's cache and the subject directory (null: none). */
    public Vault(
            KeyValueStore<String, SubjectEntry> subjects,
            KeyValueStore<String, VaultEntry> vault,
            VaultCrypto crypto,
            SubjectCache cache,
            ReadOnlyKeyValueStore<String, SubjectEntry> directory) {
        this(subjects, vault, crypto, cache, directory, Duration.ZERO);
    }

    /**
     * With the task's cache, the subject directory (null: none) and how long an entry may keep an old value of a field
     * it holds ({@link PrivacySettings#vaultRefresh()}, see {@link #remember}).
     */
    public Vault(
            KeyValueStore<String, SubjectEntry> subjects,
            KeyValueStore<String, VaultEntry> vault,
            VaultCrypto crypto,
            SubjectCache cache,
            ReadOnlyKeyValueStore<String, SubjectEntry> directory,
            Duration refresh) {
        this.subjects = subjects;
        this.vault = vault;
        this.crypto = crypto;
        this.cache = cache;
        this.directory = directory;
        this.refreshMillis = refresh.toMillis();
    }

    /** Persistent, changelogged stores; the changelogs get {@code changelogConfig} (compaction bounds = erasure deadline). */
    public static StoreBuilder<KeyValueStore<String, SubjectEntry>> subjectsStore(Map<String, String> changelogConfig) {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SUBJECTS), Serdes.String(), VaultEntries.subjectSerde())
                .withLoggingEnabled(changelogConfig);
    }

    public static StoreBuilder<KeyValueStore<String, VaultEntry>> vaultStore(Map<String, String> changelogConfig) {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(VAULT), Serdes.String(), VaultEntries.vaultSerde())
                .withLoggingEnabled(changelogConfig);
    }

    /** A subject's key material and pseudonym, unwrapped for the duration of one record. */
    public record Subject(String id, String pseudonym, byte[] dataKey) {}

    /** The subject's pseudonym, creating a random one (and its data key and vault entry) the first time. */
    public Subject resolve(String subjectId, Instant now) {
        SubjectCache.Known known = cache.get(subjectId);
        if (known != null) {
            return known.subject();
        }
        SubjectEntry e = subjects.get(subjectId);
        if (e != null) {
            byte[] dk = crypto.unwrap(e.kid(), e.wrappedKey());
            String pseudonym =
                    new String(crypto.decrypt(dk, e.encryptedPseudonym(), subjectId), StandardCharsets.UTF_8);
            Subject s = new Subject(subjectId, pseudonym, dk);
            cache.put(subjectId, new SubjectCache.Known(s, e, null, null));
            return s;
        }
        byte[] dk = crypto.newDataKey();
        String pseudonym = crypto.newPseudonym();
        VaultCrypto.Wrapped w = crypto.wrap(dk);
        SubjectEntry registered = new SubjectEntry(
                w.kid(), w.bytes(), crypto.encrypt(dk, pseudonym.getBytes(StandardCharsets.UTF_8), subjectId));
        subjects.put(subjectId, registered);
        published.add(new SubjectDirectory.Entry(subjectId, registered));
        Pii none = new Pii(subjectId, Map.of());
        VaultEntry entry =
                new VaultEntry(w.kid(), w.bytes(), crypto.encrypt(dk, VaultEntries.piiBytes(none), pseudonym), now);
        vault.put(pseudonym, entry);
        Subject s = new Subject(subjectId, pseudonym, dk);
        cache.put(subjectId, new SubjectCache.Known(s, registered, none, entry));
        return s;
    }

    /**
     * The pseudonym of a subject that another task owns, read from the directory: empty when the directory does not
     * list it (yet) or lists it under a master key this instance does not hold; the caller then takes the subject to
     * its own task (a privacy hop).
     */
    public Optional<String> pseudonymFromDirectory(String subjectId) {
        if (directory == null) {
            return Optional.empty();
        }
        SubjectEntry e = directory.get(subjectId);
        if (e == null) {
            return Optional.empty();
        }
        DirectoryHit hit = directoryHits.get(subjectId);
        if (hit != null && Arrays.equals(hit.sealed(), e.encryptedPseudonym())) {
            return Optional.of(hit.pseudonym());
        }
        try {
            byte[] dk = crypto.unwrap(e.kid(), e.wrappedKey());
            String pseudonym =
                    new String(crypto.decrypt(dk, e.encryptedPseudonym(), subjectId), StandardCharsets.UTF_8);
            directoryHits.put(subjectId, new DirectoryHit(e.encryptedPseudonym(), pseudonym));
            return Optional.of(pseudonym);
        } catch (Keyring.UnknownMasterKeyException | VaultCrypto.VaultCryptoException unreadable) {
            return Optional.empty();
        }
    }

    /** Publishes the subject's current registry entry to the directory again (after someone had to hop to it). */
    public void republish(String subjectId) {
        SubjectCache.Known known = cache.get(subjectId);
        SubjectEntry e = known != null && known.registered() != null ? known.registered() : subjects.get(subjectId);
        if (e != null && published.stream().noneMatch(p -> p.subject().equals(subjectId))) {
            published.add(new SubjectDirectory.Entry(subjectId, e));
        }
    }

    /** The directory entries to publish since the last call (new subjects, republished ones), in order. */
    public List<SubjectDirectory.Entry> drainPublished() {
        if (published.isEmpty()) {
            return List.of();
        }
        List<SubjectDirectory.Entry> out = List.copyOf(published);
        published.clear();
        return out;
    }

    /**
     * Records the latest personal data of a subject (by field path); writes only when something changed. With a
     * refresh interval ({@link PrivacySettings#vaultRefresh()}), a changed value of a field the entry already holds (an
     * IP address) is not written while this task wrote the entry less than that long ago: the entry keeps the old
     * value until the first change after the interval, which writes the values of that moment. A field the entry does
     * not hold yet is written at once, as is any change when the task has not written the entry since it started.
     */
    public void remember(Subject s, Map<String, String> fields, Instant now) {
        if (fields.isEmpty()) {
            return;
        }
        SubjectCache.Known known = cache.get(s.id());
        SubjectEntry registered = known == null ? null : known.registered();
        boolean cached = known != null
                && known.entry() != null
                && known.subject().pseudonym().equals(s.pseudonym());
        VaultEntry e;
        Pii current;
        if (cached) {
            e = known.entry();
            current = known.pii();
        } else {
            e = vault.get(s.pseudonym());
            if (e == null) {
                return; // erased meanwhile; nothing to attach to
            }
            current = VaultEntries.pii(crypto.decrypt(s.dataKey(), e.encryptedPii(), s.pseudonym()));
        }
        if (containsAll(current.fields(), fields)) {
            if (!cached) {
                cache.put(s.id(), new SubjectCache.Known(s, registered, current, e));
            }
            return;
        }
        long nowMillis = now.toEpochMilli();
        if (cached
                && known.writtenAtMillis() >= 0
                && nowMillis - known.writtenAtMillis() < refreshMillis
                && current.fields().keySet().containsAll(fields.keySet())) {
            return; // only values the entry holds changed, and it was written less than the refresh interval ago
        }
        Map<String, String> merged = new HashMap<>(current.fields());
        merged.putAll(fields);
        Pii updated = new Pii(current.subjectId(), merged);
        VaultEntry written = new VaultEntry(
                e.kid(),
                e.wrappedKey(),
                crypto.encrypt(s.dataKey(), VaultEntries.piiBytes(updated), s.pseudonym()),
                e.createdAt());
        vault.put(s.pseudonym(), written);
        cache.put(s.id(), new SubjectCache.Known(s, registered, updated, written, nowMillis));
    }

    private static boolean containsAll(Map<String, String> current, Map<String, String> fields) {
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!f.getValue().equals(current.get(f.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Crypto-erasure: deletes the subject's registry and vault entries (every copy of its data key). */
    public Optional<String> erase(String subjectId) {
        cache.remove(subjectId);
        SubjectEntry e = subjects.get(subjectId);
        if (e == null) {
            return Optional.empty();
        }
        String pseudonym;
        try {
            byte[] dk = crypto.unwrap(e.kid(), e.wrappedKey());
            pseudonym = new String(crypto.decrypt(dk, e.encryptedPseudonym(), subjectId), StandardCharsets.UTF_8);
        } finally {
            subjects.delete(subjectId);
        }
        vault.delete(pseudonym);
        return Optional.of(pseudonym);
    }

    /** Re-wraps up to {@code max} data keys wrapped with a retired master key; returns how many were re-wrapped. */
    public int rotate(int max) {
        if (!crypto.keyring().hasRetiredKeys()) {
            return 0;
        }
        String active = crypto.keyring().activeId();
        cache.clear(); // what it remembers holds the entries' old wrapping
        int done = 0;
        try (KeyValueIterator<String, SubjectEntry> it = subjects.all()) {
            while (it.hasNext() && done < max) {
                KeyValue<String, SubjectEntry> kv = it.next();
                if (!kv.value.kid().equals(active)) {
                    VaultCrypto.Wrapped w = crypto.wrap(crypto.unwrap(kv.value.kid(), kv.value.wrappedKey()));
                    subjects.put(kv.key, new SubjectEntry(w.kid(), w.bytes(), kv.value.encryptedPseudonym()));
                    done++;
                }
            }
        }
        try (KeyValueIterator<String, VaultEntry> it = vault.all()) {
            while (it.hasNext() && done < max) {
                KeyValue<String, VaultEntry> kv = it.next();
                if (!kv.value.kid().equals(active)) {
                    VaultCrypto.Wrapped w = crypto.wrap(crypto.unwrap(kv.value.kid(), kv.value.wrappedKey()));
                    vault.put(
                            kv.key, new VaultEntry(w.kid(), w.bytes(), kv.value.encryptedPii(), kv.value.createdAt()));
                    done++;
                }
            }
        }
        return done;
    }

    /** Decrypts a vault entry (for the lookup API). */
    public static Optional<Pii> read(VaultEntry e, String pseudonym, VaultCrypto crypto) {
        if (e == null) {
            return Optional.empty();
        }
        byte[] dk = crypto.unwrap(e.kid(), e.wrappedKey());
        return Optional.of(VaultEntries.pii(crypto.decrypt(dk, e.encryptedPii(), pseudonym)));
    }
}
