package io.quintet.enricher.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One value of the compacted {@code profiles} topic: an actor's complete traits as of the record's timestamp (an
 * identify call). Each record replaces the previous state, as compaction expects; a tombstone deletes the profile.
 * JSON: {@code {"traits": {"plan": "pro", "locale": "de-DE", ...}}}.
 */
public record Profile(Map<String, Object> traits) {
    public Profile {
        traits = traits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(traits));
    }

    /** Only the allow-listed traits: what the profile store keeps, so other traits (e.g. an email) are never stored. */
    public Profile only(java.util.Collection<String> allowed) {
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String t : allowed) {
            if (traits.containsKey(t)) {
                kept.put(t, traits.get(t));
            }
        }
        return new Profile(kept);
    }
}
