package io.quintet.enricher.profile;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@code profiles} record changes in an actor's profile, at the record's timestamp.
 * <ul>
 *   <li>an identify call ({@code identity.profile.identified}) is <em>partial</em>: the traits it names are set (a
 *       {@code null} value removes the trait), every other trait keeps its value;</li>
 *   <li>a group call ({@code identity.group.associated}) associates the actor with a group: same group id as before =
 *       the group's traits are merged the same way; another group id = the new group replaces the old one and its
 *       traits;</li>
 *   <li>a {@code {"traits": {...}}} record is the actor's <em>complete</em> traits ({@code replace}): earlier traits
 *       and group are dropped.</li>
 * </ul>
 *
 * @param traits  traits set (null value = removed)
 * @param group   the group association, or null when this change does not touch it
 * @param replace whether the change replaces the whole profile instead of merging into it
 */
public record ProfileChange(Map<String, Object> traits, Group group, boolean replace) {
    public ProfileChange {
        traits = traits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(traits));
    }

    public static ProfileChange identify(Map<String, Object> traits) {
        return new ProfileChange(traits, null, false);
    }

    public static ProfileChange group(Group group) {
        return new ProfileChange(Map.of(), group, false);
    }

    public static ProfileChange complete(Map<String, Object> traits) {
        return new ProfileChange(traits, null, true);
    }

    /** The profile after this change, applied on {@code before} (null: no profile yet, or deleted). */
    public Profile applyTo(Profile before) {
        if (replace || before == null) {
            return new Profile(withoutRemovals(traits), group, this);
        }
        Map<String, Object> merged = merge(before.traits(), traits);
        Group g = group == null ? before.group() : mergeGroup(before.group(), group);
        return new Profile(merged, g, this);
    }

    /** Two changes at the same timestamp, {@code later} arrived after this one: one change doing both. */
    public ProfileChange then(ProfileChange later) {
        if (later.replace) {
            return later;
        }
        Map<String, Object> t = new LinkedHashMap<>(traits);
        t.putAll(later.traits); // removals (null) are kept: the combined change still removes them
        Group g;
        if (later.group == null || group == null || !group.id().equals(later.group.id())) {
            g = later.group == null ? group : later.group;
        } else { // same group twice: one change setting both (removals kept)
            Map<String, Object> gt = new LinkedHashMap<>(group.traits());
            gt.putAll(later.group.traits());
            g = new Group(group.id(), gt);
        }
        return new ProfileChange(t, g, replace);
    }

    /** Only allow-listed traits ({@code group.<trait>} for group traits); the group id is kept (it decides merging). */
    public ProfileChange only(Collection<String> allowed) {
        Map<String, Object> t = new LinkedHashMap<>();
        traits.forEach((k, v) -> {
            if (allowed.contains(k)) {
                t.put(k, v);
            }
        });
        Group g = null;
        if (group != null) {
            Map<String, Object> gt = new LinkedHashMap<>();
            group.traits().forEach((k, v) -> {
                if (allowed.contains(Group.TRAIT_PREFIX + k)) {
                    gt.put(k, v);
                }
            });
            g = new Group(group.id(), gt);
        }
        return new ProfileChange(t, g, replace);
    }

    private static Group mergeGroup(Group before, Group change) {
        if (before == null || !before.id().equals(change.id())) {
            return new Group(change.id(), withoutRemovals(change.traits()));
        }
        return new Group(before.id(), merge(before.traits(), change.traits()));
    }

    private static Map<String, Object> merge(Map<String, Object> before, Map<String, Object> change) {
        Map<String, Object> out = new LinkedHashMap<>(before);
        change.forEach((k, v) -> {
            if (v == null) {
                out.remove(k);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, Object> withoutRemovals(Map<String, Object> traits) {
        return merge(Map.of(), traits);
    }
}
