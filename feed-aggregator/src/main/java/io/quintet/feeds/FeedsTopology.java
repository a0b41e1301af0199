package io.quintet.feeds;

import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
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
 *   events --(activity by actor, follow changes by followee, notification by recipient)--> repartition feeds-by-actor
 *          --> fan-out (follow graph): flat feed of the actor, timelines of followers, follow edges; notifications
 *              pass through
 *          --> commands for the key itself (own flat feed, notifications) stay in the task; commands for other
 *              readers (timelines, edges) and seen/read marks from the HTTP API (feeds.commands)
 *              --> repartition feeds-by-recipient --> back into the same sub-topology
 *          --> feed writer (items, index, counters, groups, following) --> feeds.updates
 * </pre>
 * Every store is changelogged, so the feeds rebuild from the canonical log (and the commands topic). The sub-topology
 * reading events.canonical has no other input (no loop back through a repartition topic), so its tasks never wait
 * for a repartition topic's transaction to commit before they can go on with the canonical log. The fan-out and the
 * writer share one sub-topology (feeds-by-actor, feeds-by-recipient and feeds.commands are co-partitioned by
 * pseudonym), so an event with no followers and no other recipient crosses one repartition, not two.
 */
public final class FeedsTopology {
    public static final String FOLLOWERS_STORE = "feed-followers";
    public static final String FOLLOWER_COUNTS_STORE = "feed-follower-counts";
    public static final String ITEMS_STORE = "feed-items";
    public static final String INDEX_STORE = "feed-index";
    public static final String META_STORE = "feed-meta";
    public static final String FOLLOWING_STORE = "feed-following";
    public static final String GROUPS_STORE = "feed-groups";

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
        store(builder, META_STORE, FeedCodecs.meta());
        store(builder, FOLLOWING_STORE, Serdes.Boolean());
        store(builder, GROUPS_STORE, FeedCodecs.groups());

        // one record per event (its activity, keyed by actor) plus its follow change and its recipient's
        // notification; all of it crosses one repartition, so the canonical sub-topology has one input only
        Map<String, KStream<String, Routed>> routes = events.flatMap(
                        (key, e) -> FeedActivities.fanOutInputs(e, settings), Named.as("feeds-activity-by-actor"))
                .repartition(Repartitioned.with(Serdes.String(), FeedCodecs.fanOutInputs())
                        .withName("feeds-by-actor"))
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
