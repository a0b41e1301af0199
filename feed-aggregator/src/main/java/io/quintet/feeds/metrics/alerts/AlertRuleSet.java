package io.quintet.feeds.metrics.alerts;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of alert rules with unique ids: threshold rules (evaluated per event, {@link #rules()}) and anomaly
 * rules (evaluated per closed metric window, {@link #baselineRules()}); an id is unique across both.
 */
public final class AlertRuleSet {
    private final Map<String, AlertRule> byId;
    private final Map<String, BaselineRule> baselineById;

    public AlertRuleSet(List<AlertRule> rules) {
        this(rules, List.of());
    }

    public AlertRuleSet(List<AlertRule> rules, List<BaselineRule> baselineRules) {
        Map<String, AlertRule> m = new LinkedHashMap<>();
        for (AlertRule r : rules) {
            if (m.put(r.id(), r) != null) {
                throw new IllegalArgumentException("alert rule id '" + r.id() + "' is used twice");
            }
        }
        Map<String, BaselineRule> b = new LinkedHashMap<>();
        for (BaselineRule r : baselineRules) {
            if (m.containsKey(r.id()) || b.put(r.id(), r) != null) {
                throw new IllegalArgumentException("alert rule id '" + r.id() + "' is used twice");
            }
        }
        this.byId = java.util.Collections.unmodifiableMap(m);
        this.baselineById = java.util.Collections.unmodifiableMap(b);
    }

    public static AlertRuleSet empty() {
        return new AlertRuleSet(List.of());
    }

    /** The threshold rules. */
    public Collection<AlertRule> rules() {
        return byId.values();
    }

    /** The anomaly (baseline) rules. */
    public Collection<BaselineRule> baselineRules() {
        return baselineById.values();
    }

    /** The threshold rule with this id. */
    public Optional<AlertRule> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<BaselineRule> baselineById(String id) {
        return Optional.ofNullable(baselineById.get(id));
    }

    /** Whether any rule, threshold or baseline, has this id. */
    public boolean hasId(String id) {
        return byId.containsKey(id) || baselineById.containsKey(id);
    }

    /** The threshold rule with this id, only if its definition still has this fingerprint. */
    public Optional<AlertRule> current(String id, String fingerprint) {
        AlertRule r = byId.get(id);
        return r != null && r.fingerprint().equals(fingerprint) ? Optional.of(r) : Optional.empty();
    }

    /** The baseline rule with this id, only if its definition still has this fingerprint. */
    public Optional<BaselineRule> currentBaseline(String id, String fingerprint) {
        BaselineRule r = baselineById.get(id);
        return r != null && r.fingerprint().equals(fingerprint) ? Optional.of(r) : Optional.empty();
    }

    /** Rules of both kinds. */
    public int size() {
        return byId.size() + baselineById.size();
    }
}
