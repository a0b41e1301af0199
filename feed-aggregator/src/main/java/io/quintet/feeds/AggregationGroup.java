package io.quintet.feeds;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The open state of one aggregated item: every distinct actor so far (up to {@code FeedSettings#maxGroupActors},
 * beyond which {@code actor_count} counts activities of new-looking actors without remembering them).
 */
public record AggregationGroup(
        @JsonProperty("item_id") String itemId,
        @JsonProperty("actors") List<String> actors,
        @JsonProperty("actor_count") long actorCount,
        @JsonProperty("activity_count") long activityCount) {
    public AggregationGroup {
        actors = actors == null ? List.of() : List.copyOf(actors);
    }
}
