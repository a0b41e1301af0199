package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * One item of a feed as served over HTTP and published on feeds.updates. A flat or timeline item is one activity
 * ({@code id} = event id, one actor); an aggregated item is a group of similar activities within a window
 * ("B and 3 others liked your post A"): {@code actors} holds the first few, {@code actor_count} all distinct actors,
 * {@code time} the latest activity. {@code seen} / {@code read} are the reader's notification state.
 * {@code organization_id} is the organisation (tenant) of the activity (of the newest one for an aggregated item; a
 * group's activities are about one object, which belongs to one organisation), null for events without one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "id",
    "feed",
    "verb",
    "time",
    "actors",
    "actor_count",
    "activity_count",
    "object",
    "source",
    "group",
    "window_start",
    "last_event_id",
    "seen",
    "read",
    "organization_id"
})
public record FeedItem(
        @JsonProperty("id") String id,
        @JsonProperty("feed") String feed,
        @JsonProperty("verb") String verb,
        @JsonProperty("time") Instant time,
        @JsonProperty("actors") List<String> actors,
        @JsonProperty("actor_count") long actorCount,
        @JsonProperty("activity_count") long activityCount,
        @JsonProperty("object") FeedObject object,
        @JsonProperty("source") String source,
        @JsonProperty("group") String group,
        @JsonProperty("window_start") Instant windowStart,
        @JsonProperty("last_event_id") String lastEventId,
        @JsonProperty("seen") Boolean seen,
        @JsonProperty("read") Boolean read,
        @JsonProperty("organization_id") String organizationId) {

    public FeedItem {
        actors = actors == null ? List.of() : List.copyOf(actors);
    }

    /** What the activity was about. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FeedObject(
            @JsonProperty("type") String type,
            @JsonProperty("id") String id) {}

    public FeedItem inFeed(FeedKind kind) {
        return new FeedItem(
                id,
                kind.id(),
                verb,
                time,
                actors,
                actorCount,
                activityCount,
                object,
                source,
                group,
                windowStart,
                lastEventId,
                seen,
                read,
                organizationId);
    }

    public FeedItem withState(Boolean newSeen, Boolean newRead) {
        return new FeedItem(
                id,
                feed,
                verb,
                time,
                actors,
                actorCount,
                activityCount,
                object,
                source,
                group,
                windowStart,
                lastEventId,
                newSeen,
                newRead,
                organizationId);
    }

    public boolean isSeen() {
        return Boolean.TRUE.equals(seen);
    }

    public boolean isRead() {
        return Boolean.TRUE.equals(read);
    }
}
