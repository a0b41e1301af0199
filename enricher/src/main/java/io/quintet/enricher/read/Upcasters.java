package io.quintet.enricher.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registered upcasters, chained from an event's {@code spec_version} up to the current one. An event without
 * {@code spec_version} is taken to be current. An unknown version is refused with {@link UnsupportedVersionException}.
 */
public final class Upcasters {
    private final Map<String, Upcaster> byFromVersion = new HashMap<>();
    private final String current;

    public Upcasters(List<Upcaster> upcasters, String current) {
        for (Upcaster u : upcasters) {
            if (byFromVersion.put(u.fromVersion(), u) != null) {
                throw new IllegalArgumentException("two upcasters read spec_version " + u.fromVersion());
            }
        }
        this.current = current;
    }

    /** The upcasters Quintet ships: 1.0 to 2.0. */
    public static Upcasters standard() {
        return new Upcasters(List.of(new SpecV1Upcaster()), CanonicalEvent.SPEC_VERSION);
    }

    /** Upcasts in place; returns true when the event was changed. */
    public boolean upcast(ObjectNode event) {
        JsonNode v = event.get("spec_version");
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isTextual()) {
            throw new UnsupportedVersionException("spec_version must be a string");
        }
        String version = v.asText();
        boolean changed = false;
        for (int hops = 0; !version.equals(current); hops++) {
            Upcaster u = byFromVersion.get(version);
            if (u == null || hops > byFromVersion.size()) {
                throw new UnsupportedVersionException("spec_version '" + version + "' is not supported (current "
                        + current + ", upcasters from " + byFromVersion.keySet() + ")");
            }
            u.upcast(event);
            version = u.toVersion();
            changed = true;
        }
        return changed;
    }

    public String current() {
        return current;
    }

    /** An event's spec_version that no registered upcaster reads. */
    public static final class UnsupportedVersionException extends RuntimeException {
        public UnsupportedVersionException(String message) {
            super(message);
        }
    }
}
