package io.quintet.enricher.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The group (account, organisation) an actor is associated with by a Segment group call, and its traits. Stamped as
 * {@value #ID_TRAIT} and {@value #TRAIT_PREFIX}{@code <trait>} when those names are allow-listed.
 */
public record Group(String id, Map<String, Object> traits) {
    /** Name under which the group id is stamped. */
    public static final String ID_TRAIT = "group_id";
    /** Prefix under which group traits are stamped: {@code group.plan}, {@code group.industry}, ... */
    public static final String TRAIT_PREFIX = "group.";

    public Group {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a group needs an id");
        }
        traits = traits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(traits));
    }
}
