package io.quintet.feeds.entities;

import io.quintet.model.CanonicalEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The hot tier's per-entity history, a sub-topology of its own behind one repartition:
 * <pre>
 *   events --entity-history-key (key = entity, event time, event id; value = canonical JSON)-->
 *          --repartition entity-history-by-entity (partitioned by entity)-->
 *          entity-history-write: the newest N events per entity within the retention
 *          (stores entity-history, entity-history-meta, entity-history-expiry)
 * </pre>
 * Nothing is added when {@link EntityHistorySettings#enabled()} is false.
 */
public final class EntityHistoryTopology {
    private EntityHistoryTopology() {}

    public static void addTo(StreamsBuilder builder, KStream<String, CanonicalEvent> events, EntityHistorySettings s) {
        if (!s.enabled()) {
            return;
        }
        // the events store is read by key ranges and written once per key: not cached (a range over a cached store
        // copies the cache's keys); the counts are cached (one changelog record per entity and commit)
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(EntityHistorySettings.EVENTS_STORE),
                        Serdes.String(),
                        Serdes.ByteArray())
                .withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(EntityHistorySettings.META_STORE),
                        Serdes.String(),
                        Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(EntityHistorySettings.EXPIRY_STORE),
                        Serdes.String(),
                        Serdes.ByteArray())
                .withCachingDisabled());
        events.process(EntityHistoryKeyer::new, Named.as("entity-history-key"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                        .withStreamPartitioner(new EntityPartitioner())
                        .withName(EntityHistorySettings.REPARTITION))
                .process(
                        () -> new EntityHistoryWriter(s),
                        Named.as("entity-history-write"),
                        EntityHistorySettings.EVENTS_STORE,
                        EntityHistorySettings.META_STORE,
                        EntityHistorySettings.EXPIRY_STORE);
    }
}
