package io.quintet.metrics.alerts;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable set of alert rules with unique ids. */
public final class AlertRuleSet {
    private final Map<String, AlertRule> byId;

    public AlertRuleSet(List<AlertRule> rules) {
        Map<String, AlertRule> m = new LinkedHashMap<>();
        for (AlertRule r : rules) {
            if (m.put(r.id(), r) != null) {
                throw new IllegalArgumentException("alert rule id '" + r.id() + "' is used twice");
            }
        }
        this.byId = java.util.Collections.unmodifiableMap(m);
    }

    public static AlertRuleSet empty() {
        return new AlertRuleSet(List.of());
    }

    public Collection<AlertRule> rules() {
        return byId.values();
    }

    public Optional<AlertRule> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The rule with this id, only if its definition still has this fingerprint. */
    public Optional<AlertRule> current(String id, String fingerprint) {
        AlertRule r = byId.get(id);
        return r != null && r.fingerprint().equals(fingerprint) ? Optional.of(r) : Optional.empty();
    }

    public int size() {
        return byId.size();
    }
}
