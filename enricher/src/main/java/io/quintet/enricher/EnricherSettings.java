package io.quintet.enricher;

import io.quintet.model.limits.EventLimits;
import io.quintet.model.plan.TrackingPlan;
import io.quintet.model.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the topology is built from (the typed, validated part of {@link EnricherConfig} that shapes the data flow).
 *
 * @param topics              topic names (with the configured prefix)
 * @param dedupWindow         how long a (source, id) is remembered
 * @param limits              size limits
 * @param plan                the tracking plan, with its policies possibly overridden by configuration
 * @param extraActionTypes    action types accepted besides the eight standard ones
 * @param superPropertyTraits profile traits stamped into user_state_snapshot (allow-list; empty = none)
 * @param profileHistory      how far back profile versions are kept for late events
 */
public record EnricherSettings(
        TopicCatalogue topics,
        Duration dedupWindow,
        EventLimits limits,
        TrackingPlan plan,
        Set<String> extraActionTypes,
        List<String> superPropertyTraits,
        Duration profileHistory) {

    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofDays(7);
    public static final Duration DEFAULT_PROFILE_HISTORY = Duration.ofDays(7);
    public static final List<String> DEFAULT_TRAITS = List.of("plan", "locale", "country", "organization_id", "role");

    public EnricherSettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(limits, "limits");
        if (dedupWindow.isNegative() || dedupWindow.isZero()) {
            throw new IllegalArgumentException("dedup window must be positive");
        }
        extraActionTypes = Set.copyOf(extraActionTypes);
        superPropertyTraits = List.copyOf(superPropertyTraits);
    }

    /** Defaults: no topic prefix, 7-day dedup window, default limits, the bundled plan, default traits. */
    public static EnricherSettings defaults() {
        return new EnricherSettings(
                TopicCatalogue.defaults(),
                DEFAULT_DEDUP_WINDOW,
                EventLimits.DEFAULTS,
                TrackingPlan.bundled(),
                Set.of(),
                DEFAULT_TRAITS,
                DEFAULT_PROFILE_HISTORY);
    }

    public EnricherSettings withTopics(TopicCatalogue t) {
        return new EnricherSettings(
                t, dedupWindow, limits, plan, extraActionTypes, superPropertyTraits, profileHistory);
    }

    public EnricherSettings withDedupWindow(Duration w) {
        return new EnricherSettings(topics, w, limits, plan, extraActionTypes, superPropertyTraits, profileHistory);
    }

    public EnricherSettings withLimits(EventLimits l) {
        return new EnricherSettings(
                topics, dedupWindow, l, plan, extraActionTypes, superPropertyTraits, profileHistory);
    }

    public EnricherSettings withPlan(TrackingPlan p) {
        return new EnricherSettings(
                topics, dedupWindow, limits, p, extraActionTypes, superPropertyTraits, profileHistory);
    }

    public EnricherSettings withExtraActionTypes(Set<String> types) {
        return new EnricherSettings(topics, dedupWindow, limits, plan, types, superPropertyTraits, profileHistory);
    }

    public EnricherSettings withSuperPropertyTraits(List<String> traits) {
        return new EnricherSettings(topics, dedupWindow, limits, plan, extraActionTypes, traits, profileHistory);
    }

    public EnricherSettings withProfileHistory(Duration h) {
        return new EnricherSettings(topics, dedupWindow, limits, plan, extraActionTypes, superPropertyTraits, h);
    }
}
