package io.quintet.feeds.metrics.alerts;

import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.support.streams.CommitTimeStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Alerts from canonical events:
 * <pre>
 *   events -> one sample per matching rule and group (rules in force at that moment)
 *          -> repartition by rule|group -> evaluate (windows + active alerts stores)
 *          -> monitoring.alert.triggered / .resolved CloudEvents -> alerts topic (key rule|group)
 * </pre>
 * A triggered alert carries the W3C trace context ({@code traceparent}) of the event that made it fire.
 */
public final class AlertsTopology {
    public static final String WINDOWS_STORE = "alert-windows";
    public static final String ACTIVE_STORE = "alert-active";

    private AlertsTopology() {}

    public static void addTo(
            StreamsBuilder builder,
            KStream<String, CanonicalEvent> events,
            AlertRules rules,
            AlertSettings settings,
            String alertsTopic) {
        addTo(builder, events, rules, settings, alertsTopic, AlertTelemetry.noop());
    }

    /** As above, counting the alerts fired and resolved by rule in {@code telemetry}. */
    public static void addTo(
            StreamsBuilder builder,
            KStream<String, CanonicalEvent> events,
            AlertRules rules,
            AlertSettings settings,
            String alertsTopic,
            AlertTelemetry telemetry) {
        // read and rewritten for every sample: objects until the commit, then one JSON write per window and commit
        builder.addStateStore(CommitTimeStore.builder(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(WINDOWS_STORE),
                        Serdes.String(),
                        new JsonSerde<>(WindowCounts.class))
                .withCachingEnabled()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ACTIVE_STORE), Serdes.String(), new JsonSerde<>(ActiveAlert.class)));
        events.flatMap((key, event) -> samples(rules.current(), event), Named.as("alerts-match-rules"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(AlertSample.class))
                        .withName("alerts-by-rule-group"))
                .process(
                        () -> new AlertProcessor(rules, settings, telemetry),
                        Named.as("alerts-evaluate"),
                        WINDOWS_STORE,
                        ACTIVE_STORE)
                .to(
                        alertsTopic,
                        Produced.with(Serdes.String(), new CloudEventSerde()).withName("write-alerts"));
    }

    /** The samples one event contributes: one per rule whose pattern and filter it matches and that can group it. */
    static List<KeyValue<String, AlertSample>> samples(AlertRuleSet rules, CanonicalEvent event) {
        if (rules.rules().isEmpty() || event.action() == null || event.action().name() == null) {
            return List.of();
        }
        io.quintet.feeds.stream.EventFields view = new io.quintet.feeds.stream.EventFields(event);
        String name = event.action().name();
        boolean failed = event.contextOrEmpty().status() == io.quintet.model.Context.Status.FAILURE;
        String traceParent = null;
        List<KeyValue<String, AlertSample>> out = new ArrayList<>(1);
        for (AlertRule rule : rules.rules()) {
            if (!rule.matches(name, view)) {
                continue;
            }
            var group = rule.groupBy().groupOf(view);
            if (group.isEmpty()) {
                continue;
            }
            java.math.BigDecimal value = null;
            if (rule.threshold().kind() == Threshold.Kind.SUM) {
                var n = view.at(rule.threshold().sumPointer());
                value = n.isNumber() ? n.decimalValue() : null;
            }
            if (traceParent == null) {
                traceParent = CloudEventMapper.traceParentOf(event)
                        .map(Object::toString)
                        .orElse("");
            }
            out.add(KeyValue.pair(
                    rule.id() + "|" + group.get(),
                    new AlertSample(
                            rule.id(),
                            rule.fingerprint(),
                            group.get(),
                            event.id(),
                            failed,
                            value,
                            traceParent.isEmpty() ? null : traceParent,
                            event.correlationId())));
        }
        return out;
    }
}
