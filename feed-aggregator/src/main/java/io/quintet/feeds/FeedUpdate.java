package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One feed change, as published on feeds.updates (key: recipient pseudonym) for push consumers:
 * {@code op} is {@code added}, {@code updated} (an aggregated item grew; it moves to the top and is unseen again),
 * {@code removed} (evicted by the size cap), {@code seen} or {@code read}; {@code item} is present for added/updated.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "recipient", "feed", "op", "item_id", "item"})
public record FeedUpdate(
        @JsonProperty("schema") String schema,
        @JsonProperty("recipient") String recipient,
        @JsonProperty("feed") String feed,
        @JsonProperty("op") String op,
        @JsonProperty("item_id") String itemId,
        @JsonProperty("item") FeedItem item) {
    public static final String SCHEMA = "quintet.feeds.update.v1";

    static FeedUpdate of(String recipient, FeedKind feed, String op, String itemId, FeedItem item) {
        return new FeedUpdate(SCHEMA, recipient, feed.id(), op, itemId, item);
    }
}
