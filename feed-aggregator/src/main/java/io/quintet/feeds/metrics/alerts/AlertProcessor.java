package io.quintet.feeds.metrics.alerts;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.otel.TraceParent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates alert rules on samples keyed by rule and group, in event time:
 * <ul>
 *   <li>each sample is counted in its tumbling window (store {@value AlertsTopology#WINDOWS_STORE}, keyed by the
 *       window's close time first so closed windows are one range scan); a sample whose window has closed
 *       (stream time past end + grace) is late and dropped;</li>
 *   <li>the first time a window meets the threshold it fires one {@code monitoring.alert.triggered} at once; the
 *       alert becomes active (store {@value AlertsTopology#ACTIVE_STORE});</li>
 *   <li>a stream-time sweep resolves an active alert once the window after its last firing one has closed without
 *       firing, or when its rule was changed or removed, and drops closed windows.</li>
 * </ul>
 * State is keyed by rule fingerprint, so a rule reload keeps the counts of rules whose definition did not change.
 */
final class AlertProcessor implements Processor<String, AlertSample, String, CanonicalEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);

    private final AlertRules rules;
    private final AlertSettings settings;
    private final AlertTelemetry telemetry;
    private ProcessorContext<String, CanonicalEvent> context;
    private KeyValueStore<String, WindowCounts> windows;
    private KeyValueStore<String, ActiveAlert> active;
    private Sensor late;

    AlertProcessor(AlertRules rules, AlertSettings settings, AlertTelemetry telemetry) {
        this.rules = rules;
        this.settings = settings;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<String, CanonicalEvent> context) {
        this.context = context;
        this.windows = context.getStateStore(AlertsTopology.WINDOWS_STORE);
        this.active = context.getStateStore(AlertsTopology.ACTIVE_STORE);
        this.late = context.metrics()
                .addRateTotalSensor(
                        "quintet-feed-aggregator",
                        context.taskId().toString(),
                        "alert-late-events",
                        Sensor.RecordingLevel.INFO);
        context.schedule(settings.sweepInterval(), PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, AlertSample> record) {
        AlertSample s = record.value();
        if (s == null) {
            return;
        }
        Optional<AlertRule> maybeRule = rules.current().current(s.ruleId(), s.fingerprint());
        if (maybeRule.isEmpty()) {
            return; // counted under a rule definition that has since been reloaded away
        }
        AlertRule rule = maybeRule.get();
        long ts = record.timestamp();
        long size = rule.window().toMillis();
        long start = ts - Math.floorMod(ts, size);
        long close = start + size + rule.grace().toMillis();
        if (context.currentStreamTimeMs() >= close) {
            late.record();
            LOG.debug("late event for rule {}: window {} closed", rule.id(), Instant.ofEpochMilli(start));
            return;
        }
        String key = windowKey(close, start, rule.fingerprint(), s.group());
        WindowCounts counts = Optional.ofNullable(windows.get(key))
                .orElseGet(() -> WindowCounts.empty(rule.id(), rule.fingerprint(), s.group(), start))
                .add(s, settings.maxContributingIds());
        if (!counts.fired() && rule.threshold().met(counts)) {
            counts = counts.markFired();
            fire(rule, counts, s, ts);
        }
        windows.put(key, counts);
    }

    private void fire(AlertRule rule, WindowCounts counts, AlertSample trigger, long ts) {
        String activeKey = activeKey(rule.fingerprint(), counts.group());
        ActiveAlert previous = active.get(activeKey);
        String alertId = previous != null
                ? previous.alertId()
                : AlertEvents.episodeId(rule.fingerprint(), counts.group(), counts.windowStart());
        long first = previous != null ? previous.firstWindowStart() : counts.windowStart();
        active.put(
                activeKey,
                new ActiveAlert(
                        rule.id(),
                        rule.fingerprint(),
                        counts.group(),
                        alertId,
                        first,
                        counts.windowStart(),
                        rule.window().toMillis(),
                        rule.grace().toMillis(),
                        trigger));
        Instant at = Instant.ofEpochMilli(ts);
        Optional<TraceParent> trace = TraceParent.parse(trigger.traceParent());
        context.forward(new Record<>(
                rule.id() + "|" + counts.group(),
                AlertEvents.triggered(rule, counts, trigger, alertId, settings.source(), at, trace),
                ts,
                new RecordHeaders()));
        telemetry.fired(rule.id(), alertId, trigger.eventId(), trace);
        LOG.info(
                "alert {} fired for rule {} (window {})",
                alertId,
                rule.id(),
                Instant.ofEpochMilli(counts.windowStart()));
    }

    /** Resolves cleared alerts and alerts of changed or removed rules; drops closed windows. */
    void sweep(long streamTime) {
        AlertRuleSet current = rules.current();
        List<KeyValue<String, ActiveAlert>> toResolve = new ArrayList<>();
        try (KeyValueIterator<String, ActiveAlert> it = active.all()) {
            while (it.hasNext()) {
                KeyValue<String, ActiveAlert> kv = it.next();
                ActiveAlert a = kv.value;
                boolean ruleGone = current.current(a.ruleId(), a.fingerprint()).isEmpty();
                if (ruleGone || streamTime >= a.clearsAt()) {
                    toResolve.add(kv);
                }
            }
        }
        for (KeyValue<String, ActiveAlert> kv : toResolve) {
            ActiveAlert a = kv.value;
            Optional<AlertRule> rule = current.current(a.ruleId(), a.fingerprint());
            String reason;
            WindowCounts cleared = null;
            if (rule.isPresent()) {
                reason = "condition_cleared";
                long start = a.lastFiringWindowStart() + a.windowMs();
                cleared = windows.get(windowKey(start + a.windowMs() + a.graceMs(), start, a.fingerprint(), a.group()));
            } else {
                reason = current.hasId(a.ruleId()) ? "rule_changed" : "rule_removed";
            }
            active.delete(kv.key);
            context.forward(new Record<>(
                    a.ruleId() + "|" + a.group(),
                    AlertEvents.resolved(
                            a, rule.orElse(null), cleared, reason, settings.source(), Instant.ofEpochMilli(streamTime)),
                    streamTime,
                    new RecordHeaders()));
            telemetry.resolved(a.ruleId(), reason);
            LOG.info("alert {} of rule {} resolved: {}", a.alertId(), a.ruleId(), reason);
        }
        List<String> closed = new ArrayList<>();
        try (KeyValueIterator<String, WindowCounts> it = windows.range(null, String.format("%019d", streamTime + 1))) {
            while (it.hasNext()) {
                closed.add(it.next().key);
            }
        }
        closed.forEach(windows::delete);
    }

    /** Close time first (zero-padded) so that every closed window sorts before the first open one. */
    static String windowKey(long close, long start, String fingerprint, String group) {
        return String.format("%019d|%019d|%s|%s", close, start, fingerprint, group);
    }

    static String activeKey(String fingerprint, String group) {
        return fingerprint + "|" + group;
    }
}
