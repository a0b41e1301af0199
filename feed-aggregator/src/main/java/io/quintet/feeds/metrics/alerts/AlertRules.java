package io.quintet.feeds.metrics.alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rule set in force, shared by the stream threads and the reloader. Replacing it is atomic; processors read it
 * per record, and state is kept per rule fingerprint, so unchanged rules keep counting across a reload.
 */
public final class AlertRules {
    private final AtomicReference<AlertRuleSet> current;

    public AlertRules(AlertRuleSet initial) {
        this.current = new AtomicReference<>(initial);
    }

    public AlertRuleSet current() {
        return current.get();
    }

    /** What a reload changed, by rule id. */
    public record Change(List<String> added, List<String> changed, List<String> removed, List<String> unchanged) {
        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    public Change replace(AlertRuleSet next) {
        AlertRuleSet previous = current.getAndSet(next);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, String> before = fingerprints(previous);
        Map<String, String> after = fingerprints(next);
        after.forEach((id, fp) -> {
            String old = before.get(id);
            if (old == null) {
                added.add(id);
            } else if (old.equals(fp)) {
                unchanged.add(id);
            } else {
                changed.add(id);
            }
        });
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(removed::add);
        return new Change(added, changed, removed, unchanged);
    }

    /** Rule id -> kind and fingerprint (a rule that changes kind is changed). */
    private static Map<String, String> fingerprints(AlertRuleSet set) {
        Map<String, String> m = new LinkedHashMap<>();
        set.rules().forEach(r -> m.put(r.id(), "threshold:" + r.fingerprint()));
        set.baselineRules().forEach(r -> m.put(r.id(), "baseline:" + r.fingerprint()));
        return m;
    }
}
