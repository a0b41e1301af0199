package io.quintet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, order-preserving immutable copies of free-form JSON objects (details, attributes, properties). */
final class Maps {
    private Maps() {}

    static Map<String, Object> immutable(Map<String, ?> source) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((k, v) -> copy.put(k, immutableValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** Like {@link #immutable(Map)} but keeps null as null, so an absent object stays absent in JSON. */
    static Map<String, Object> immutableOrNull(Map<String, ?> source) {
        return source == null ? null : immutable(source);
    }

    @SuppressWarnings("unchecked")
    private static Object immutableValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return immutable((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(x -> copy.add(immutableValue(x)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
