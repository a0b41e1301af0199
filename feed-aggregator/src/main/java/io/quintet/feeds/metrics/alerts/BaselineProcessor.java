package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.databind.ObjectReader;
import io.quintet.feeds.metrics.MetricRecord;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
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
 * Evaluates anomaly (baseline) rules on closed metric windows, read from the metrics topic (one record per series and
 * window, never per event):
 * <ul>
 *   <li>for each rule selecting the window's series, the window's figure (count, rate, failure rate, p95 duration)
 *       is judged against the baseline learned so far ({@link BaselineEvaluation}), then learned (store
 *       {@value BaselineTopology#BASELINES_STORE}; the seasonal slots in {@value BaselineTopology#SLOTS_STORE});</li>
 *   <li>an anomalous window fires {@code monitoring.alert.triggered} (once per window; the alert becomes active in
 *       {@value BaselineTopology#ACTIVE_STORE}); the first normal window of the series after it resolves the alert;</li>
 *   <li>a stream-time sweep resolves alerts of changed or removed rules, and alerts of count/rate rules whose series
 *       has gone silent (no window emitted: no events) for a whole window after the last firing one.</li>
 * </ul>
 * A window at or before the newest one already evaluated for the rule and series is ignored (a re-read after a
 * failure under at-least-once), so each window is learned once.
 */
final class BaselineProcessor implements Processor<String, byte[], String, CanonicalEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineProcessor.class);

    private final AlertRules rules;
    private final AlertSettings settings;
    private final long metricsGraceMs;
    private final AlertTelemetry telemetry;
    private final ObjectReader reader = JsonSerde.mapper().readerFor(MetricRecord.class);
    private ProcessorContext<String, CanonicalEvent> context;
    private KeyValueStore<String, BaselineState> baselines;
    private KeyValueStore<String, Double> slots;
    private KeyValueStore<String, BaselineActive> active;
    private Sensor unreadable;
    /** The rule set whose orphaned state was last dropped (a cache: after a restart the first sweep checks again). */
    private AlertRuleSet cleanedFor;

    BaselineProcessor(AlertRules rules, AlertSettings settings, Duration metricsGrace, AlertTelemetry telemetry) {
        this.rules = rules;
        this.settings = settings;
        this.metricsGraceMs = metricsGrace.toMillis();
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<String, CanonicalEvent> context) {
        this.context = context;
        this.baselines = context.getStateStore(BaselineTopology.BASELINES_STORE);
        this.slots = context.getStateStore(BaselineTopology.SLOTS_STORE);
        this.active = context.getStateStore(BaselineTopology.ACTIVE_STORE);
        this.unreadable = context.metrics()
                .addRateTotalSensor(
                        "quintet-feed-aggregator",
                        context.taskId().toString(),
                        "alert-baseline-unreadable-metrics",
                        Sensor.RecordingLevel.INFO);
        context.schedule(settings.sweepInterval(), PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null || rules.current().baselineRules().isEmpty()) {
            return;
        }
        MetricRecord m;
        Duration size;
        try {
            m = reader.readValue(record.value());
            if (m == null
                    || m.windowSize() == null
                    || m.windowStart() == null
                    || m.dimension() == null
                    || m.value() == null) {
                throw new IOException("window_size, window_start, dimension or value missing");
            }
            size = Duration.parse(m.windowSize());
        } catch (IOException | DateTimeParseException e) {
            unreadable.record();
            LOG.warn("metrics record {} is not a metric window, skipped: {}", where(), e.toString());
            return;
        }
        if (!m.finalValue() || m.organizationId() != null) {
            return; // an open window, or one organisation's series (metrics.per.organization): rules watch the
            // series over every organisation
        }
        for (BaselineRule rule : rules.current().baselineRules()) {
            if (rule.selects(size, m.dimension(), m.value())) {
                evaluate(rule, m, record.timestamp());
            }
        }
    }

    private String where() {
        return context.recordMetadata()
                .map(r -> r.topic() + "-" + r.partition() + "@" + r.offset())
                .orElse("(unknown)");
    }

    private void evaluate(BaselineRule rule, MetricRecord m, long timestamp) {
        long size = rule.window().toMillis();
        long start = m.windowStart().toEpochMilli();
        String series = m.value();
        String stateKey = rule.id() + "|" + rule.stateFingerprint() + "|" + series;
        BaselineState state = baselines.get(stateKey);
        if (state != null && start <= state.lastWindowStart()) {
            LOG.debug("rule {}: window {} of {} already evaluated", rule.id(), m.windowStart(), series);
            return;
        }
        OptionalDouble figure = rule.measure().of(m, rule.window());
        if (figure.isEmpty()) {
            if (state != null) { // nothing to learn (no durations in the window); remember the window was seen
                baselines.put(
                        stateKey,
                        new BaselineState(
                                state.mean(), state.variance(), state.history(), start, state.anomalousRun()));
            }
            return;
        }
        double x = figure.getAsDouble();
        if (state != null && rule.ewma() != null && rule.measure().zeroWhenAbsent()) {
            state = state.fillZeros(
                    (start - state.lastWindowStart()) / size - 1, rule.ewma().alpha());
        }
        String slotPrefix = rule.id() + "|" + rule.stateFingerprint() + "|" + series + "|";
        List<Double> seasonal = new ArrayList<>();
        if (rule.seasonal() != null) {
            for (int d = 1; d <= rule.seasonal().days(); d++) {
                Double v = slots.get(slotPrefix + pad(start - d * BaselineRule.DAY_MS));
                if (v != null) {
                    seasonal.add(v);
                }
            }
        }
        BaselineEvaluation ev = BaselineEvaluation.of(rule, x, m.count(), state, seasonal);
        baselines.put(stateKey, learn(rule, state, x, start, ev.anomalous()));
        if (rule.seasonal() != null) {
            slots.put(slotPrefix + pad(start), x);
            dropSlotsBefore(slotPrefix, start - rule.seasonal().days() * BaselineRule.DAY_MS);
        }
        String activeKey = rule.fingerprint() + "|" + series;
        BaselineActive a = active.get(activeKey);
        if (ev.anomalous()) {
            String alertId = a != null ? a.alertId() : AlertEvents.episodeId(rule.fingerprint(), series, start);
            long first = a != null ? a.firstWindowStart() : start;
            active.put(
                    activeKey, new BaselineActive(rule.id(), rule.fingerprint(), series, alertId, first, start, size));
            context.forward(new Record<>(
                    rule.id() + "|" + series,
                    BaselineAlertEvents.triggered(rule, m, start, ev, alertId, settings.source()),
                    timestamp,
                    new RecordHeaders()));
            telemetry.fired(rule.id());
            LOG.info(
                    "anomaly alert {} fired for rule {} series {} (window {})",
                    alertId,
                    rule.id(),
                    series,
                    m.windowStart());
        } else if (a != null) {
            active.delete(activeKey);
            context.forward(new Record<>(
                    rule.id() + "|" + series,
                    BaselineAlertEvents.resolved(
                            a,
                            rule,
                            "condition_cleared",
                            start,
                            m,
                            ev,
                            settings.source(),
                            Instant.ofEpochMilli(start + size)),
                    timestamp,
                    new RecordHeaders()));
            telemetry.resolved(rule.id(), "condition_cleared");
            LOG.info("anomaly alert {} of rule {} resolved: condition_cleared", a.alertId(), rule.id());
        }
    }

    /**
     * The state after a window: learned, except an anomalous window of an EWMA rule that has not yet been anomalous
     * for {@code adapt_after} windows in a row (kept out, so a spike neither inflates the baseline nor ends its own
     * alert).
     */
    private static BaselineState learn(
            BaselineRule rule, BaselineState state, double x, long start, boolean anomalous) {
        double alpha = rule.ewma() == null ? 1.0 : rule.ewma().alpha();
        if (state == null) {
            return BaselineState.first(x, start, anomalous);
        }
        if (anomalous
                && rule.ewma() != null
                && state.anomalousRun() < rule.ewma().adaptAfter()) {
            return state.skip(start);
        }
        return state.learn(x, alpha, start, anomalous);
    }

    private void dropSlotsBefore(String prefix, long before) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Double> it = slots.range(prefix + pad(0), prefix + pad(before))) {
            while (it.hasNext()) {
                old.add(it.next().key);
            }
        }
        old.forEach(slots::delete);
    }

    /** Resolves alerts of changed or removed rules, and count/rate alerts whose series emitted no further window. */
    void sweep(long streamTime) {
        AlertRuleSet current = rules.current();
        if (current != cleanedFor) {
            dropOrphanedState(current);
            cleanedFor = current;
        }
        List<KeyValue<String, BaselineActive>> toResolve = new ArrayList<>();
        try (KeyValueIterator<String, BaselineActive> it = active.all()) {
            while (it.hasNext()) {
                KeyValue<String, BaselineActive> kv = it.next();
                Optional<BaselineRule> rule = current.currentBaseline(kv.value.ruleId(), kv.value.fingerprint());
                if (rule.isEmpty() || (rule.get().measure().zeroWhenAbsent() && streamTime >= silentAt(kv.value))) {
                    toResolve.add(kv);
                }
            }
        }
        for (KeyValue<String, BaselineActive> kv : toResolve) {
            BaselineActive a = kv.value;
            Optional<BaselineRule> rule = current.currentBaseline(a.ruleId(), a.fingerprint());
            String reason = rule.isPresent()
                    ? "condition_cleared"
                    : current.hasId(a.ruleId()) ? "rule_changed" : "rule_removed";
            Long cleared = rule.isPresent() ? a.lastFiringWindowStart() + a.windowMs() : null;
            active.delete(kv.key);
            context.forward(new Record<>(
                    a.ruleId() + "|" + a.group(),
                    BaselineAlertEvents.resolved(
                            a,
                            rule.orElse(null),
                            reason,
                            cleared,
                            null,
                            null,
                            settings.source(),
                            Instant.ofEpochMilli(streamTime)),
                    streamTime,
                    new RecordHeaders()));
            telemetry.resolved(a.ruleId(), reason);
            LOG.info("anomaly alert {} of rule {} resolved: {}", a.alertId(), a.ruleId(), reason);
        }
    }

    /**
     * Drops the baselines and slots no rule in force uses any more (a rule removed, or changed in what its baseline
     * depends on: series, measure, alpha). Runs once per rule set, not per window.
     */
    private void dropOrphanedState(AlertRuleSet current) {
        java.util.Set<String> live = new java.util.HashSet<>();
        current.baselineRules().forEach(r -> live.add(r.id() + "|" + r.stateFingerprint() + "|"));
        List<String> orphans = new ArrayList<>();
        try (KeyValueIterator<String, BaselineState> it = baselines.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (!live.contains(statePrefix(key))) {
                    orphans.add(key);
                }
            }
        }
        orphans.forEach(baselines::delete);
        List<String> orphanSlots = new ArrayList<>();
        try (KeyValueIterator<String, Double> it = slots.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (!live.contains(statePrefix(key))) {
                    orphanSlots.add(key);
                }
            }
        }
        orphanSlots.forEach(slots::delete);
        if (!orphans.isEmpty() || !orphanSlots.isEmpty()) {
            LOG.info(
                    "dropped {} baselines and {} seasonal slots no anomaly rule uses any more",
                    orphans.size(),
                    orphanSlots.size());
        }
    }

    /** {@code rule|stateFingerprint|} of a baselines or slots key (rule ids and fingerprints hold no '|'). */
    private static String statePrefix(String key) {
        int first = key.indexOf('|');
        int second = first < 0 ? -1 : key.indexOf('|', first + 1);
        return second < 0 ? key : key.substring(0, second + 1);
    }

    /**
     * Stream time by which the window after the last firing one would have been read had it had events: its end plus
     * the metrics grace (when it is emitted), plus one more window of margin for the interleaving of the metrics
     * topic's writers.
     */
    private long silentAt(BaselineActive a) {
        return a.lastFiringWindowStart() + 3 * a.windowMs() + metricsGraceMs;
    }

    static String pad(long n) {
        String s = Long.toString(Math.max(n, 0));
        return "0".repeat(19 - s.length()) + s;
    }
}
