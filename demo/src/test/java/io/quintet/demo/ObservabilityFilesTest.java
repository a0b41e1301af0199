package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The name check behind LocalPipelineEndToEndIT's observability assertion: what counts as served (sample and label
 * names of a scrape) and what the shipped dashboard and rules name, so that a name no service serves is caught.
 */
class ObservabilityFilesTest {
    static final String SCRAPE = """
            # HELP quintet_sink_batch_rows rows per committed micro-batch
            # TYPE quintet_sink_batch_rows histogram
            quintet_sink_batch_rows_bucket{otel_scope_name="io.quintet.analytics-sink",le="10.0"} 0
            quintet_sink_batch_rows_count{otel_scope_name="io.quintet.analytics-sink"} 3
            quintet_enricher_up 1
            kafka_consumer_fetch_manager_records_lag_max{client_id="quintet-sink-1",topic="a=\\"b\\""} 0
            """;

    @Test
    void servedNamesAreTheSampleNamesAndLabelNamesOfAScrape() {
        assertThat(ObservabilityFiles.servedNames(SCRAPE))
                .containsExactlyInAnyOrder(
                        "quintet_sink_batch_rows_bucket",
                        "quintet_sink_batch_rows_count",
                        "quintet_enricher_up",
                        "kafka_consumer_fetch_manager_records_lag_max",
                        "otel_scope_name",
                        "le",
                        "client_id",
                        "topic");
    }

    @Test
    void theShippedFilesNameQuintetAndKafkaMetricsAndTheirLabels() {
        Map<String, String> named = ObservabilityFiles.referencedMetrics(LocalPipeline.repoRoot());
        assertThat(named)
                .containsEntry("quintet_enricher_up", ObservabilityFiles.DASHBOARD)
                .containsKey("quintet_sink_last_commit_age_seconds")
                .containsEntry("quintet_enricher_vault_operations_total", ObservabilityFiles.DASHBOARD)
                .containsKey("quintet_dlq_reason")
                .containsKey("kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void aNameNoScrapeServesIsReported() {
        assertThat(ObservabilityFiles.names("rate(quintet_sink_rows_committed_total[1m]) / quintet_made_up_total"))
                .filteredOn(n -> !ObservabilityFiles.servedNames(SCRAPE + "quintet_sink_rows_committed_total 1\n")
                        .contains(n))
                .containsExactly("quintet_made_up_total");
    }
}
