package io.quintet.feeds.metrics.alerts;

import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Anomaly (baseline) rules on closed metric windows:
 * <pre>
 *   metrics topic (one record per series and closed window, keyed by series)
 *       -> evaluate baseline rules (stores alert-baselines, alert-baseline-slots, alert-baseline-active)
 *       -> monitoring.alert.triggered / .resolved CloudEvents -> alerts topic (key rule|series)
 * </pre>
 * A sub-topology of its own with one input: it reads the windows the metrics part has written (read_committed under
 * exactly-once), so it adds nothing per event and does not depend on how the windows are aggregated. The metrics topic
 * is keyed by series, so each series' windows reach one task in order without a repartition. A group without
 * committed offsets starts at the topic's end: adding the first baseline rules learns from the windows closed from
 * then on and fires no alert for history.
 */
public final class BaselineTopology {
    /** EWMA mean/variance, history and newest window per rule and series. */
    public static final String BASELINES_STORE = "alert-baselines";
    /** The figure of each window slot of the last days per rule and series (seasonal baselines). */
    public static final String SLOTS_STORE = "alert-baseline-slots";
    /** Active anomaly alerts per rule fingerprint and series. */
    public static final String ACTIVE_STORE = "alert-baseline-active";

    private BaselineTopology() {}

    public static void addTo(
            StreamsBuilder builder,
            AlertRules rules,
            AlertSettings settings,
            Duration metricsGrace,
            String metricsTopic,
            String alertsTopic,
            AlertTelemetry telemetry) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BASELINES_STORE),
                Serdes.String(),
                new JsonSerde<>(BaselineState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SLOTS_STORE), Serdes.String(), Serdes.Double()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ACTIVE_STORE), Serdes.String(), new JsonSerde<>(BaselineActive.class)));
        builder.stream(
                        metricsTopic,
                        Consumed.with(Serdes.String(), Serdes.ByteArray())
                                .withOffsetResetPolicy(AutoOffsetReset.latest())
                                .withName("alerts-baseline-read-metrics"))
                .process(
                        () -> new BaselineProcessor(rules, settings, metricsGrace, telemetry),
                        Named.as("alerts-baseline-evaluate"),
                        BASELINES_STORE,
                        SLOTS_STORE,
                        ACTIVE_STORE)
                .to(
                        alertsTopic,
                        Produced.with(Serdes.String(), new CloudEventSerde()).withName("write-baseline-alerts"));
    }
}
