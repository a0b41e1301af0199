package io.quintet.enricher.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An actor's profile at one version of the profile store: the merged traits and group as of the version's timestamp,
 * and the {@link ProfileChange} that was applied at exactly that timestamp (kept so that a late change, inserted
 * before this version, can be re-applied under it: see {@link ApplyProfileChangeStep}).
 */
public record Profile(Map<String, Object> traits, Group group, ProfileChange change) {
    public Profile {
        traits = traits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(traits));
        if (change == null) {
            change = ProfileChange.complete(traits);
        }
    }

    /** A profile of plain traits, as if set by one complete change. */
    public static Profile of(Map<String, Object> traits) {
        return ProfileChange.complete(traits).applyTo(null);
    }

    /**
     * The value stamped for an allow-listed name: {@value Group#ID_TRAIT} = the group's id,
     * {@code group.<trait>} = a trait of the group, anything else a trait of the actor; null when absent.
     */
    public Object trait(String name) {
        if (Group.ID_TRAIT.equals(name)) {
            return group == null ? null : group.id();
        }
        if (name.startsWith(Group.TRAIT_PREFIX)) {
            return group == null ? null : group.traits().get(name.substring(Group.TRAIT_PREFIX.length()));
        }
        return traits.get(name);
    }
}
