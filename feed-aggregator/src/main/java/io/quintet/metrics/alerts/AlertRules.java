package io.quintet.metrics.alerts;

import java.util.ArrayList;
import java.util.List;
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
        for (AlertRule r : next.rules()) {
            var old = previous.byId(r.id());
            if (old.isEmpty()) {
                added.add(r.id());
            } else if (old.get().fingerprint().equals(r.fingerprint())) {
                unchanged.add(r.id());
            } else {
                changed.add(r.id());
            }
        }
        for (AlertRule r : previous.rules()) {
            if (next.byId(r.id()).isEmpty()) {
                removed.add(r.id());
            }
        }
        return new Change(added, changed, removed, unchanged);
    }
}
