package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.support.metrics.PrometheusMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the enricher serves at GET /metrics: its own counters (records by outcome, dead letters by reason) next to
 * the Kafka Streams client's metrics, one Prometheus text document. No broker: the Streams client is built, not
 * started.
 */
class EnricherMetricsTest {

    @Test
    void metricsCountRecordsByOutcomeAndDeadLettersByReasonBesideTheKafkaStreamsMetrics(@TempDir Path state) {
        PrometheusMetrics own = new PrometheusMetrics();
        EnricherTelemetry telemetry = new EnricherTelemetry(own.openTelemetry());
        telemetry.canonical();
        telemetry.canonical();
        telemetry.deadLettered(DlqReason.SCHEMA_VIOLATION, "billing-service");

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        try {
            String text = EnricherApp.metrics(streams, own);

            assertThat(text.lines().filter(l -> l.startsWith("quintet_enricher_records_total{")))
                    .anySatisfy(l -> assertThat(l)
                            .contains("quintet_outcome=\"canonical\"")
                            .matches(".* 2(\\.0)?"))
                    .anySatisfy(l -> assertThat(l)
                            .contains("quintet_outcome=\"dead_lettered\"")
                            .contains("quintet_dlq_reason=\"" + DlqReason.SCHEMA_VIOLATION.code() + "\"")
                            .matches(".* 1(\\.0)?"));
            assertThat(text.lines().filter(l -> l.startsWith("quintet_enricher_dead_letters_total{")))
                    .anySatisfy(l -> assertThat(l)
                            .contains("quintet_dlq_reason=\"" + DlqReason.SCHEMA_VIOLATION.code() + "\"")
                            .contains("quintet_source=\"billing-service\"")
                            .matches(".* 1(\\.0)?"));
            assertThat(text).contains("quintet_enricher_up 0\n").contains("kafka_stream_");
        } finally {
            streams.close(Duration.ofSeconds(5));
            own.close();
        }
    }

    @Test
    void deadLettersAreCountedPerSourceAndReasonWithABoundOnDistinctSources() {
        try (PrometheusMetrics own = new PrometheusMetrics()) {
            EnricherTelemetry telemetry = new EnricherTelemetry(own.openTelemetry());
            for (int i = 0; i < EnricherTelemetry.MAX_SOURCES; i++) {
                telemetry.deadLettered(DlqReason.SIZE_VIOLATION, "source-" + i);
            }
            telemetry.deadLettered(DlqReason.SIZE_VIOLATION, "source-7");
            telemetry.deadLettered(DlqReason.TRACKING_PLAN_VIOLATION, "source-7");
            telemetry.deadLettered(DlqReason.SIZE_VIOLATION, "one-too-many");
            telemetry.deadLettered(DlqReason.UNPARSEABLE, null);

            String text = own.scrape();

            assertThat(text.lines().filter(l -> l.startsWith("quintet_enricher_dead_letters_total{")))
                    .anySatisfy(l -> assertThat(l)
                            .contains("quintet_source=\"source-7\"")
                            .contains("quintet_dlq_reason=\"size_violation\"")
                            .matches(".* 2(\\.0)?"))
                    .anySatisfy(l -> assertThat(l)
                            .contains("quintet_source=\"source-7\"")
                            .contains("quintet_dlq_reason=\"tracking_plan_violation\"")
                            .matches(".* 1(\\.0)?"))
                    .anySatisfy(l ->
                            assertThat(l).contains("quintet_source=\"other\"").matches(".* 1(\\.0)?"))
                    .anySatisfy(l -> assertThat(l)
                            .contains("quintet_source=\"unknown\"")
                            .contains("quintet_dlq_reason=\"unparseable\""))
                    .noneSatisfy(l -> assertThat(l).contains("one-too-many"));
        }
    }
}
