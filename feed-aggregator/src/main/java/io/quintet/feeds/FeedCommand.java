package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A change to one reader's feeds, keyed by the reader (recipient pseudonym) on the feeds-by-recipient repartition
 * topic and, for seen/read marks from the HTTP API, on the feeds.commands topic.
 * <ul>
 *   <li>{@code ADD}: put {@code item} into feed {@code feed} (flat or timeline);</li>
 *   <li>{@code AGGREGATE}: count an activity into the reader's aggregated feed ({@code item} is the activity,
 *       {@code group} the grouping value);</li>
 *   <li>{@code EDGE}: the reader follows (or stopped following) {@code followee}, who is or is not a celebrity;</li>
 *   <li>{@code SEEN} / {@code READ}: mark notification {@code itemId} (all when null) as seen / read.</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedCommand(
        @JsonProperty("type") Type type,
        @JsonProperty("feed") FeedKind feed,
        @JsonProperty("item") FeedItem item,
        @JsonProperty("group") String group,
        @JsonProperty("followee") String followee,
        @JsonProperty("following") boolean following,
        @JsonProperty("celebrity") boolean celebrity,
        @JsonProperty("item_id") String itemId,
        @JsonProperty("at") Instant at) {

    public enum Type {
        ADD,
        AGGREGATE,
        EDGE,
        SEEN,
        READ
    }

    public static FeedCommand add(FeedKind feed, FeedItem item) {
        return new FeedCommand(Type.ADD, feed, item, null, null, false, false, null, null);
    }

    public static FeedCommand aggregate(FeedItem activity, String group) {
        return new FeedCommand(Type.AGGREGATE, FeedKind.AGGREGATED, activity, group, null, false, false, null, null);
    }

    public static FeedCommand edge(String followee, boolean following, boolean celebrity) {
        return new FeedCommand(Type.EDGE, null, null, null, followee, following, celebrity, null, null);
    }

    public static FeedCommand seen(String itemIdOrNull, Instant at) {
        return new FeedCommand(Type.SEEN, FeedKind.AGGREGATED, null, null, null, false, false, itemIdOrNull, at);
    }

    public static FeedCommand read(String itemIdOrNull, Instant at) {
        return new FeedCommand(Type.READ, FeedKind.AGGREGATED, null, null, null, false, false, itemIdOrNull, at);
    }
}
