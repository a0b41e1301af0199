package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Size and notification counters of one reader's feed, and where eviction left off: {@code evictedFrom} is the sort
 * suffix of the newest item evicted so far, and every item still in the feed sorts before it (null: unknown, or an
 * item as old as an evicted one came in late). Eviction looks for the oldest item below that bound only, so it never
 * walks over the tombstones of the items it deleted before (a RocksDB seek over them grows with every eviction).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedMeta(
        @JsonProperty("size") long size,
        @JsonProperty("unseen") long unseen,
        @JsonProperty("unread") long unread,
        @JsonProperty("evicted_from") String evictedFrom) {
    public static final FeedMeta EMPTY = new FeedMeta(0, 0, 0);

    public FeedMeta(long size, long unseen, long unread) {
        this(size, unseen, unread, null);
    }

    FeedMeta plus(long dSize, long dUnseen, long dUnread) {
        return new FeedMeta(size + dSize, Math.max(0, unseen + dUnseen), Math.max(0, unread + dUnread), evictedFrom);
    }

    FeedMeta withEvictedFrom(String suffix) {
        return new FeedMeta(size, unseen, unread, suffix);
    }
}
