package io.quintet.feeds;

import com.fasterxml.jackson.core.JsonPointer;
import io.quintet.model.ActionPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How feeds are built.
 *
 * @param cap                  items kept per reader and feed; the oldest is evicted first
 * @param celebrityFollowers   an actor with more followers than this is not fanned out on write; readers merge
 *                             their activities at query time
 * @param window               aggregation window (tumbling, event time)
 * @param grace                how late an activity may be and still join its group
 * @param shownActors          how many actors an aggregated item lists ("B, C and 3 others")
 * @param maxGroupActors       distinct actors remembered per open group (for exact actor counts)
 * @param recipients           who receives an activity in the aggregated feed, first matching rule wins
 * @param groups               what an activity is grouped by, first matching rule wins (default: the object)
 */
public record FeedSettings(
        int cap,
        long celebrityFollowers,
        Duration window,
        Duration grace,
        int shownActors,
        int maxGroupActors,
        List<Rule> recipients,
        List<Rule> groups) {

    /** A pattern and a JSON pointer into the canonical event, e.g. {@code social.user.followed -> /entity/id}. */
    public record Rule(ActionPattern pattern, String pointer) {
        public Rule {
            JsonPointer.compile(pointer);
        }
    }

    public static final String DEFAULT_RECIPIENTS = "social.user.followed=/entity/id,*=/entity/details/owner_id";
    public static final String DEFAULT_GROUPS = "social.user.followed=/action/name,*=/entity/id";

    public FeedSettings {
        recipients = List.copyOf(recipients);
        groups = List.copyOf(groups);
        if (cap < 1) {
            throw new IllegalArgumentException("feed cap must be >= 1");
        }
    }

    public static FeedSettings defaults() {
        return new FeedSettings(
                1000,
                10_000,
                Duration.ofHours(1),
                Duration.ofMinutes(5),
                3,
                1000,
                parseRules(DEFAULT_RECIPIENTS),
                parseRules(DEFAULT_GROUPS));
    }

    public FeedSettings withCap(int newCap) {
        return new FeedSettings(
                newCap, celebrityFollowers, window, grace, shownActors, maxGroupActors, recipients, groups);
    }

    public FeedSettings withCelebrityFollowers(long n) {
        return new FeedSettings(cap, n, window, grace, shownActors, maxGroupActors, recipients, groups);
    }

    /** {@code pattern=/pointer,pattern=/pointer}; throws IllegalArgumentException naming the bad entry. */
    public static List<Rule> parseRules(String text) {
        List<Rule> out = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq < 1 || !e.substring(eq + 1).startsWith("/")) {
                throw new IllegalArgumentException("rule '" + e + "' is not pattern=/json/pointer");
            }
            out.add(new Rule(
                    ActionPattern.parse(e.substring(0, eq).trim()),
                    e.substring(eq + 1).trim()));
        }
        return out;
    }

    static Optional<Rule> first(List<Rule> rules, String actionName) {
        return rules.stream().filter(r -> r.pattern().matches(actionName)).findFirst();
    }
}
