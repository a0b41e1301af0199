package io.quintet.feeds;

import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
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
 *              pass through --> repartition feeds-by-recipient
 *   feeds-by-recipient + feeds.commands (seen/read marks from the HTTP API)
 *          --> feed writer (items, index, counters, groups, following) --> feeds.updates
 * </pre>
 * Every store is changelogged, so the feeds rebuild from the canonical log (and the commands topic). The sub-topology
 * reading events.canonical has no other input (no loop back through a repartition topic), so its tasks never wait
 * for a repartition topic's transaction to commit before they can go on with the canonical log.
 */
public final class FeedsTopology {
    public static final String FOLLOWERS_STORE = "feed-followers";
    public static final String FOLLOWER_COUNTS_STORE = "feed-follower-counts";
    public static final String ITEMS_STORE = "feed-items";
    public static final String INDEX_STORE = "feed-index";
    public static final String META_STORE = "feed-meta";
    public static final String FOLLOWING_STORE = "feed-following";
    public static final String GROUPS_STORE = "feed-groups";

    private FeedsTopology() {
    }

    public static void addTo(StreamsBuilder builder, KStream<String, CanonicalEvent> events, FeedSettings settings,
                             String commandsTopic, String updatesTopic) {
        store(builder, FOLLOWERS_STORE, Serdes.String());
        store(builder, FOLLOWER_COUNTS_STORE, Serdes.Long());
        store(builder, ITEMS_STORE, new JsonSerde<>(FeedItem.class));
        store(builder, INDEX_STORE, Serdes.String());
        store(builder, META_STORE, new JsonSerde<>(FeedMeta.class));
        store(builder, FOLLOWING_STORE, Serdes.Boolean());
        store(builder, GROUPS_STORE, new JsonSerde<>(AggregationGroup.class));

        // one record per event (its activity, keyed by actor) plus its follow change and its recipient's
        // notification; all of it crosses one repartition, so the canonical sub-topology has one input only
        KStream<String, FeedCommand> fannedOut = events
                .flatMap((key, e) -> FeedActivities.fanOutInputs(e, settings), Named.as("feeds-activity-by-actor"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(FanOutInput.class)).withName("feeds-by-actor"))
                .process(() -> new FanOutProcessor(settings), Named.as("feeds-fan-out"), FOLLOWERS_STORE, FOLLOWER_COUNTS_STORE);
        KStream<String, FeedCommand> marks = builder
                .stream(commandsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-feeds-commands"))
                .processValues(DecodeCommand::new, Named.as("decode-feeds-commands"));

        fannedOut.repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(FeedCommand.class)).withName("feeds-by-recipient"))
                .merge(marks, Named.as("feeds-merge-marks"))
                .process(() -> new FeedWriterProcessor(settings), Named.as("feeds-write"),
                        ITEMS_STORE, INDEX_STORE, META_STORE, FOLLOWING_STORE, GROUPS_STORE)
                .to(updatesTopic, Produced.with(Serdes.String(), new JsonSerde<>(FeedUpdate.class)).withName("write-feeds-updates"));
    }

    private static <V> void store(StreamsBuilder builder, String name, Serde<V> valueSerde) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
                .withCachingEnabled());
    }
}
