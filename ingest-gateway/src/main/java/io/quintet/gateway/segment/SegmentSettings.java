package io.quintet.gateway.segment;

import io.quintet.model.Action;
import java.util.Map;

/**
 * How Segment calls become canonical events.
 *
 * @param aliases         Segment {@code event} name -> action (name and type), e.g. "Order Completed" ->
 *                        commerce.order.completed/create
 * @param deriveUnmapped  whether a {@code track} event without an alias that is not already Domain.Entity.Action is
 *                        derived from Segment's "Object Action" naming ("Order Completed" ->
 *                        {@code <defaultDomain>.order.completed}); when false such events are rejected
 * @param defaultDomain   domain of derived action names
 * @param trackActionType action type of track events without an alias type
 * @param page            action of page calls
 * @param screen          action of screen calls
 * @param identify        action of identify calls (to the profiles topic)
 * @param group           action of group calls (to the profiles topic)
 * @param alias           action of alias calls
 */
public record SegmentSettings(
        Map<String, Action> aliases,
        boolean deriveUnmapped,
        String defaultDomain,
        String trackActionType,
        Action page,
        Action screen,
        Action identify,
        Action group,
        Action alias) {

    public SegmentSettings {
        aliases = Map.copyOf(aliases);
    }

    public static SegmentSettings defaults() {
        return new SegmentSettings(
                Map.of(),
                true,
                "analytics",
                "other",
                new Action("analytics.page.viewed", "read"),
                new Action("analytics.screen.viewed", "read"),
                new Action("identity.profile.identified", "update"),
                new Action("identity.group.associated", "update"),
                new Action("identity.user.aliased", "update"));
    }

    public SegmentSettings withAliases(Map<String, Action> newAliases) {
        return new SegmentSettings(
                newAliases, deriveUnmapped, defaultDomain, trackActionType, page, screen, identify, group, alias);
    }
}
