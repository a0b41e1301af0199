package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What crosses the feeds-by-actor repartition topic: an activity (key: its actor), a follow-graph change
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
}
