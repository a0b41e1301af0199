package io.quintet.enricher.privacy;

import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.model.topics.TopicCatalogue;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The subject directory: every subject's registry entry (its wrapped data key and encrypted pseudonym, exactly what
 * the owner task's {@code pii-subjects} store holds) on the compacted {@code pii.vault} topic, materialized in every
 * instance as the global store {@value Vault#DIRECTORY}. It lets the task of an event's actor replace a reference to
 * another person by that person's pseudonym at once, instead of sending the event through a privacy hop to the
 * person's own task and back (two more trips through Kafka for a quarter of a realistic stream).
 * <p>
 * Only the owner task writes a subject's directory entry, inside its transaction: when it creates the subject, when
 * someone had to hop to it (which also heals entries from before a master key rotation), and a tombstone when it
 * erases it. The directory trails the owner by about a commit interval: a reference to a subject created moments
 * ago still hops, and a reference to a subject erased moments ago can still get the erased pseudonym, which then
 * resolves to nothing. Nothing in the directory is readable without a master key.
 */
public final class SubjectDirectory {
    /** One directory record: the subject's raw id and its registry entry (null: erased). */
    public record Entry(String subject, SubjectEntry registered) {}

    private SubjectDirectory() {}

    /** The topic the directory lives on: the catalogue's {@code pii.vault} (compacted, erasure-bounded). */
    public static String topic(TopicCatalogue topics) {
        return topics.name(TopicCatalogue.PII_VAULT);
    }

    /** Adds the global store, filled from the directory topic, to the topology. */
    public static void addGlobalStore(StreamsBuilder builder, TopicCatalogue topics) {
        StoreBuilder<KeyValueStore<String, SubjectEntry>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(Vault.DIRECTORY), Serdes.String(), VaultEntries.subjectSerde())
                .withLoggingDisabled(); // a global store restores from its own topic
        builder.addGlobalStore(
                store,
                topic(topics),
                Consumed.with(Serdes.String(), VaultEntries.subjectSerde()).withName("read-pii-directory"),
                Updater::new);
    }

    /** Writes what a step published to the directory topic. */
    public static void publish(KStream<String, List<Entry>> published, TopicCatalogue topics, String name) {
        published
                .flatMap(
                        (key, entries) -> entries.stream()
                                .map(e -> KeyValue.pair(e.subject(), e.registered()))
                                .toList(),
                        Named.as(name + "-entries"))
                .to(
                        topic(topics),
                        Produced.with(Serdes.String(), VaultEntries.subjectSerde())
                                .withName(name));
    }

    /** Applies directory records to the global store (a null value deletes). */
    private static final class Updater implements Processor<String, SubjectEntry, Void, Void> {
        private KeyValueStore<String, SubjectEntry> store;

        @Override
        public void init(ProcessorContext<Void, Void> ctx) {
            this.store = ctx.getStateStore(Vault.DIRECTORY);
        }

        @Override
        public void process(Record<String, SubjectEntry> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
