package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * What the fan-out reads, in its task already or across the feeds-by-actor repartition topic: an activity (key: its actor), a follow-graph change
 * (key: the followee; {@code follower} follows or unfollows) or a notification for the key's aggregated feed
 * ({@code notification}, an aggregate command the fan-out passes on unchanged).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FanOutInput(
        @JsonProperty("activity") FeedItem activity,
        @JsonProperty("follower") String follower,
        @JsonProperty("follow") boolean follow,
        @JsonProperty("notify") FeedCommand notification) {

    static FanOutInput activity(FeedItem item) {
        return new FanOutInput(item, null, false, null);
    }

    static FanOutInput graph(String follower, boolean follow) {
        return new FanOutInput(null, follower, follow, null);
    }

    static FanOutInput notification(FeedCommand aggregate) {
        return new FanOutInput(null, null, false, aggregate);
    }

    /**
     * A fan-out input and whether its key is the key of the canonical record it came from (then the record is in the
     * task that owns the key already). Never serialized: it lives between two processors of one task.
     */
    record Keyed(FanOutInput input, boolean sameKey) {
        static List<KeyValue<String, Keyed>> of(String recordKey, List<KeyValue<String, FanOutInput>> inputs) {
            List<KeyValue<String, Keyed>> out = new ArrayList<>(inputs.size());
            for (KeyValue<String, FanOutInput> kv : inputs) {
                out.add(KeyValue.pair(kv.key, new Keyed(kv.value, kv.key.equals(recordKey))));
            }
            return out;
        }
    }
}
