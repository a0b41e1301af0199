package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Size and notification counters of one reader's feed. */
public record FeedMeta(@JsonProperty("size") long size, @JsonProperty("unseen") long unseen,
                       @JsonProperty("unread") long unread) {
    public static final FeedMeta EMPTY = new FeedMeta(0, 0, 0);

    FeedMeta plus(long dSize, long dUnseen, long dUnread) {
        return new FeedMeta(size + dSize, Math.max(0, unseen + dUnseen), Math.max(0, unread + dUnread));
    }
}
