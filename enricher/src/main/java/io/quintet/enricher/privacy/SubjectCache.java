package io.quintet.enricher.privacy;

import io.quintet.enricher.privacy.VaultEntries.Pii;
import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What one task last read or wrote of its subjects' vault entries, decrypted: the pseudonym and data key, and the
 * personal data with its vault entry once known. Without it every event costs two store reads, a key unwrap, two
 * decryptions and a JSON decode of the vault entry; with it only a changed piece of personal data is written back.
 * <p>
 * The stores stay the truth. Every processor that uses a task's vault shares that task's cache, clears it when it
 * is initialised (a task (re)starting, after a rebalance or an aborted transaction, restores its stores from the
 * changelog and must not trust what it remembered) and drops it when closed (a task that moved away keeps no
 * decrypted keys here); erasure removes the subject from it, key rotation clears it.
 * Bounded per task (least recently used entries go first). The cache lives only in this JVM's heap; nothing of it
 * is written anywhere.
 */
public final class SubjectCache {
    /** Subjects remembered per task. */
    public static final int DEFAULT_SIZE = 10_000;

    private final Map<String, Known> entries;

    /**
     * A subject as its task knows it: its registry entry ({@code registered}, as published to the directory),
     * and {@code pii} and {@code entry} once its vault entry was read (null until then); {@code writtenAtMillis}: when
     * this task last wrote that entry (-1: not since the task started, or not known).
     */
    record Known(Vault.Subject subject, SubjectEntry registered, Pii pii, VaultEntry entry, long writtenAtMillis) {
        Known(Vault.Subject subject, SubjectEntry registered, Pii pii, VaultEntry entry) {
            this(subject, registered, pii, entry, -1);
        }
    }

    private SubjectCache(int size) {
        this.entries = new LinkedHashMap<>(Math.min(size, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                return size() > size;
            }
        };
    }

    /** A cache that remembers nothing (every lookup goes to the stores). */
    public static SubjectCache none() {
        return new SubjectCache(0);
    }

    Known get(String subjectId) {
        return entries.get(subjectId);
    }

    void put(String subjectId, Known known) {
        entries.put(subjectId, known);
    }

    void remove(String subjectId) {
        entries.remove(subjectId);
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    /**
     * One cache per task, shared by that task's vault processors (pseudonymize, resolve-reference-*, erase-subject
     * run in one task: they share the vault stores). One registry per topology; a task's cache is only touched by the
     * stream thread running the task.
     */
    public static final class PerTask {
        private final int size;
        private final Map<String, SubjectCache> caches = new ConcurrentHashMap<>();

        public PerTask(int size) {
            this.size = size;
        }

        /**
         * The task's cache, cleared: call from a processor's {@code init}. Keyed by application id and task, so
         * that two applications built from one topology object in one JVM never share one.
         */
        public SubjectCache initialised(String applicationId, TaskId task) {
            SubjectCache cache = caches.computeIfAbsent(applicationId + "/" + task, t -> new SubjectCache(size));
            cache.clear();
            return cache;
        }

        /** Forgets the task's cache (its decrypted keys with it): call from a processor's {@code close}. */
        public void release(String applicationId, TaskId task) {
            SubjectCache cache = caches.remove(applicationId + "/" + task);
            if (cache != null) {
                cache.clear();
            }
        }
    }
}
