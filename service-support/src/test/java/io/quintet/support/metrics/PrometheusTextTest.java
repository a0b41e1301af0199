package io.quintet.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void kafkaClientMetricsBecomeGaugesWithTheirTagsAsLabelsAndNonNumbersAreLeftOut() {
        try (Metrics metrics = new Metrics()) {
            Sensor lag = metrics.sensor("lag");
            MetricName lagMax = metrics.metricName(
                    "records-lag-max",
                    "consumer-fetch-manager-metrics",
                    "the maximum lag in records",
                    Map.of("client-id", "sink-1", "topic", "events.canonical"));
            lag.add(lagMax, new Max());
            lag.record(42);
            Sensor commits = metrics.sensor("commits");
            commits.add(
                    metrics.metricName(
                            "commit-total", "consumer-coordinator-metrics", "commits", Map.of("client-id", "sink-1")),
                    new CumulativeSum());
            commits.record(1);
            commits.record(1);
            metrics.addMetric(
                    metrics.metricName("version", "app-info", "client version", Map.of("client-id", "sink-1")),
                    (Gauge<String>) (config, now) -> "4.1.0");

            String text = new PrometheusText().kafka(metrics.metrics()).toString();

            assertThat(text)
                    .contains("# HELP kafka_consumer_fetch_manager_records_lag_max the maximum lag in records\n")
                    .contains("# TYPE kafka_consumer_fetch_manager_records_lag_max gauge\n")
                    .contains(
                            "kafka_consumer_fetch_manager_records_lag_max{client_id=\"sink-1\",topic=\"events.canonical\"} 42\n")
                    .contains("kafka_consumer_coordinator_commit_total{client_id=\"sink-1\"} 2\n")
                    .doesNotContain("version")
                    .doesNotContain("4.1.0");
            assertThat(text.lines().filter(l -> !l.startsWith("#")))
                    .allMatch(
                            l -> l.matches("[a-z_:][a-z0-9_:]*(\\{[^}]*})? \\S+"),
                            "every sample line is name{labels} value");
        }
    }

    @Test
    void serviceFamiliesCarryHelpTypeAndEscapedLabels() {
        String text = new PrometheusText()
                .counter("quintet_sink_rows_committed_total", "rows committed", 1234)
                .family(
                        "quintet_sink_records_skipped_total",
                        "counter",
                        "skipped, by reason",
                        List.of(new PrometheusText.Sample(Map.of("reason", "say \"no\"\\n"), 3)))
                .gauge("quintet_x_ratio", "a ratio", 0.25)
                .gauge("quintet_x_unknown", "not known yet", Double.NaN)
                .toString();
        assertThat(text).isEqualTo("""
                # HELP quintet_sink_rows_committed_total rows committed
                # TYPE quintet_sink_rows_committed_total counter
                quintet_sink_rows_committed_total 1234
                # HELP quintet_sink_records_skipped_total skipped, by reason
                # TYPE quintet_sink_records_skipped_total counter
                quintet_sink_records_skipped_total{reason="say \\"no\\"\\\\n"} 3
                # HELP quintet_x_ratio a ratio
                # TYPE quintet_x_ratio gauge
                quintet_x_ratio 0.25
                # HELP quintet_x_unknown not known yet
                # TYPE quintet_x_unknown gauge
                quintet_x_unknown NaN
                """);
    }
}
