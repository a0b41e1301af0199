package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What crosses the feeds-by-actor repartition topic: an activity (key: its actor) or a follow-graph change
 * (key: the followee; {@code follower} follows or unfollows).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FanOutInput(@JsonProperty("activity") FeedItem activity,
                          @JsonProperty("follower") String follower,
                          @JsonProperty("follow") boolean follow) {

    static FanOutInput activity(FeedItem item) {
        return new FanOutInput(item, null, false);
    }

    static FanOutInput graph(String follower, boolean follow) {
        return new FanOutInput(null, follower, follow);
    }
}
