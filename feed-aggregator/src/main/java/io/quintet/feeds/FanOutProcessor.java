package io.quintet.feeds;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keyed by actor / followee. Keeps the follow graph by followee (store {@value FeedsTopology#FOLLOWERS_STORE}:
 * {@code followee|follower}, and {@value FeedsTopology#FOLLOWER_COUNTS_STORE}) and turns activities into feed
 * commands keyed by recipient:
 * <ul>
 *   <li>an activity goes to its actor's flat feed, and to the timeline of each follower (fan-out on write) unless the
 *       actor has more than {@code celebrityFollowers} followers (then readers merge it at query time);</li>
 *   <li>a follow / unfollow updates the graph and tells the follower's partition (an {@code EDGE} command) whether
 *       the followee is a celebrity; crossing the threshold tells every follower once.</li>
 * </ul>
 */
final class FanOutProcessor implements Processor<String, FanOutInput, String, Routed> {
    private final FeedSettings settings;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, String> followers;
    private KeyValueStore<String, Long> counts;

    FanOutProcessor(FeedSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.followers = context.getStateStore(FeedsTopology.FOLLOWERS_STORE);
        this.counts = context.getStateStore(FeedsTopology.FOLLOWER_COUNTS_STORE);
    }

    @Override
    public void process(Record<String, FanOutInput> record) {
        FanOutInput in = record.value();
        String key = record.key();
        if (in.notification() != null) {
            forward(record, key, in.notification());
            return;
        }
        if (in.follower() != null) {
            graphChange(record, key, in.follower(), in.follow());
            return;
        }
        FeedItem item = in.activity();
        forward(record, key, FeedCommand.add(FeedKind.FLAT, item.inFeed(FeedKind.FLAT)));
        long count = count(key);
        if (count == 0 || count > settings.celebrityFollowers()) {
            return; // nobody to tell, or a celebrity: fan-out on read
        }
        FeedItem timelineItem = item.inFeed(FeedKind.TIMELINE);
        for (String follower : followersOf(key)) {
            forward(record, follower, FeedCommand.add(FeedKind.TIMELINE, timelineItem));
        }
    }

    private void graphChange(Record<String, FanOutInput> record, String followee, String follower, boolean follow) {
        String edge = FeedKeys.follower(followee, follower);
        boolean exists = followers.get(edge) != null;
        long count = count(followee);
        long threshold = settings.celebrityFollowers();
        if (follow && !exists) {
            followers.put(edge, "");
            counts.put(followee, ++count);
            forward(record, follower, FeedCommand.edge(followee, true, count > threshold));
            if (count == threshold + 1) {
                for (String f : followersOf(followee)) {
                    if (!f.equals(follower)) {
                        forward(record, f, FeedCommand.edge(followee, true, true));
                    }
                }
            }
        } else if (!follow && exists) {
            followers.delete(edge);
            counts.put(followee, --count);
            forward(record, follower, FeedCommand.edge(followee, false, false));
            if (count == threshold) {
                for (String f : followersOf(followee)) {
                    forward(record, f, FeedCommand.edge(followee, true, false));
                }
            }
        }
    }

    private long count(String followee) {
        Long c = counts.get(followee);
        return c == null ? 0 : c;
    }

    private List<String> followersOf(String followee) {
        String prefix = followee + FeedKeys.SEP;
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, String> it = followers.prefixScan(
                prefix, org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                out.add(kv.key.substring(prefix.length()));
            }
        }
        return out;
    }

    private void forward(Record<String, FanOutInput> record, String recipient, FeedCommand command) {
        context.forward(
                new Record<>(recipient, new Routed(command, recipient.equals(record.key())), record.timestamp()));
    }
}
