package io.quintet.feeds;

import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
import io.quintet.support.streams.CommitTimeStore;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Activity feeds as read models of the canonical log:
 * <pre>
 *   events --(activity by actor, follow changes by followee, notification by recipient)
 *          --> in the task already when keyed like the canonical record (an actor's activity), else repartition
 *              feeds-by-actor
 *          --> fan-out (follow graph): flat feed of the actor, timelines of followers, follow edges; notifications
 *              pass through
 *          --> commands for the key itself (own flat feed, notifications) stay in the task; commands for other
 *              readers (timelines, edges) and seen/read marks from the HTTP API (feeds.commands)
 *              --> repartition feeds-by-recipient --> back into the same sub-topology
 *          --> feed writer (items, index, counters, groups, following) --> feeds.updates
 * </pre>
 * Every store is changelogged, so the feeds rebuild from the canonical log (and the commands topic). The canonical
 * read, the fan-out and the writer are one sub-topology: events.canonical is keyed by actor pseudonym and
 * feeds-by-actor, feeds-by-recipient and feeds.commands have its partition count, so partition {@code i} of each
 * holds the same keys. An ordinary event crosses no repartition on its way to its actor's own flat feed; only
 * follow changes, notifications for another reader and timeline items for followers cross one. The tasks read
 * several inputs without waiting for an empty one ({@code max.task.idle.ms=-1}, set by the service): the commands
 * are independent, none needs another input's records in timestamp order.
 */
public final class FeedsTopology {
    public static final String FOLLOWERS_STORE = "feed-followers";
    public static final String FOLLOWER_COUNTS_STORE = "feed-follower-counts";
    public static final String ITEMS_STORE = "feed-items";
    public static final String INDEX_STORE = "feed-index";
    public static final String META_STORE = "feed-meta";
    public static final String FOLLOWING_STORE = "feed-following";
    public static final String GROUPS_STORE = "feed-groups";
    /** Feed counters kept as objects per task across commits (CommitTimeStore's committed values). */
    static final int META_OBJECTS_PER_TASK = 20_000;

    private FeedsTopology() {}

    public static void addTo(
            StreamsBuilder builder,
            KStream<String, CanonicalEvent> events,
            FeedSettings settings,
            String commandsTopic,
            String updatesTopic) {
        store(builder, FOLLOWERS_STORE, Serdes.String());
        store(builder, FOLLOWER_COUNTS_STORE, Serdes.Long());
        // not cached: its keys are written once each, and a range over a cached store copies the cache's keys in range
        // (a capped feed's eviction scans the oldest item on every add)
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ITEMS_STORE), Serdes.String(), FeedCodecs.items()));
        store(builder, INDEX_STORE, Serdes.String());
        // read and rewritten on every add: objects until the commit, then one write per key (CommitTimeStore); the
        // readers' counters it read or wrote last stay objects across commits (FeedMeta is immutable)
        builder.addStateStore(CommitTimeStore.builder(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(META_STORE), Serdes.String(), FeedCodecs.meta())
                        .withCachingEnabled(),
                META_OBJECTS_PER_TASK));
        store(builder, FOLLOWING_STORE, Serdes.Boolean());
        store(builder, GROUPS_STORE, FeedCodecs.groups());

        // per event: its activity keyed by actor, its follow change keyed by followee, its recipient's notification.
        // events.canonical is keyed by actor pseudonym and feeds-by-actor / feeds-by-recipient have its partition
        // count and the same partitioner, so an input keyed like its canonical record (every activity the enricher
        // wrote) is already in the task that owns its key: it goes to the fan-out directly. Only the others (follow
        // changes, notifications, a record keyed otherwise) cross feeds-by-actor.
        Map<String, KStream<String, FanOutInput.Keyed>> inputs = events.flatMap(
                        (key, e) -> FanOutInput.Keyed.of(key, FeedActivities.fanOutInputs(e, settings)),
                        Named.as("feeds-activity-by-actor"))
                .split(Named.as("feeds-input-"))
                .branch((actor, in) -> in.sameKey(), Branched.as("in-task"))
                .defaultBranch(Branched.as("by-actor"));
        KStream<String, FanOutInput> byActor = inputs.get("feeds-input-by-actor")
                .mapValues(FanOutInput.Keyed::input, Named.as("feeds-by-actor-inputs"))
                .repartition(Repartitioned.with(Serdes.String(), FeedCodecs.fanOutInputs())
                        .withName("feeds-by-actor"));
        Map<String, KStream<String, Routed>> routes = inputs.get("feeds-input-in-task")
                .mapValues(FanOutInput.Keyed::input, Named.as("feeds-in-task-inputs"))
                .merge(byActor, Named.as("feeds-merge-by-actor"))
                .process(
                        () -> new FanOutProcessor(settings),
                        Named.as("feeds-fan-out"),
                        FOLLOWERS_STORE,
                        FOLLOWER_COUNTS_STORE)
                .split(Named.as("feeds-route-"))
                .branch((reader, routed) -> routed.local(), Branched.as("local"))
                .defaultBranch(Branched.as("other-reader"));
        KStream<String, FeedCommand> local =
                routes.get("feeds-route-local").mapValues(Routed::command, Named.as("feeds-local-commands"));
        KStream<String, FeedCommand> marks = builder.stream(
                        commandsTopic,
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-feeds-commands"))
                .processValues(DecodeCommand::new, Named.as("decode-feeds-commands"));
        // marks are re-keyed too: feeds.commands may have any number of partitions
        KStream<String, FeedCommand> toOtherReaders = routes.get("feeds-route-other-reader")
                .mapValues(Routed::command, Named.as("feeds-other-reader-commands"))
                .merge(marks, Named.as("feeds-merge-marks"))
                .repartition(Repartitioned.with(Serdes.String(), FeedCodecs.commands())
                        .withName("feeds-by-recipient"));

        local.merge(toOtherReaders, Named.as("feeds-merge-other-readers"))
                .process(
                        () -> new FeedWriterProcessor(settings),
                        Named.as("feeds-write"),
                        ITEMS_STORE,
                        INDEX_STORE,
                        META_STORE,
                        FOLLOWING_STORE,
                        GROUPS_STORE)
                .to(
                        updatesTopic,
                        Produced.with(Serdes.String(), new JsonSerde<>(FeedUpdate.class))
                                .withName("write-feeds-updates"));
    }

    private static <V> void store(StreamsBuilder builder, String name, Serde<V> valueSerde) {
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
                        .withCachingEnabled());
    }
}
