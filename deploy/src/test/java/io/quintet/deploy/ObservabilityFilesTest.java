package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shape of deploy/observability's Grafana dashboard and Prometheus alert rules, without Grafana or Prometheus.
 * That every metric and label they name is served by a running service is checked against the four services' real
 * scrapes in demo's LocalPipelineEndToEndIT.
 */
class ObservabilityFilesTest {

    @Test
    void theDashboardIsGrafanaJsonWhosePanelsAllQueryPrometheus() throws Exception {
        JsonNode d = new ObjectMapper()
                .readTree(Path.of("observability/grafana-dashboard.json").toFile());
        assertThat(d.path("uid").asText()).isEqualTo("quintet-pipeline");
        assertThat(d.path("panels").size()).isGreaterThanOrEqualTo(10);
        List<Integer> ids = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            ids.add(p.path("id").asInt());
            assertThat(p.path("title").asText()).isNotBlank();
            assertThat(p.path("targets").size()).as(p.path("title").asText()).isPositive();
            p.path("targets")
                    .forEach(t -> assertThat(t.path("expr").asText())
                            .as(p.path("title").asText())
                            .isNotBlank());
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void theAlertRulesCoverLagDeadLettersSinkCommitAgeAndTheEnricherBeingDown() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("observability/prometheus-rules.yaml").toFile());
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode r : group.path("rules")) {
                alerts.add(r.path("alert").asText());
                assertThat(r.path("expr").asText()).as(r.path("alert").asText()).isNotBlank();
                assertThat(r.path("for").asText()).as(r.path("alert").asText()).matches("\\d+[smh]");
                assertThat(r.path("labels").path("severity").asText()).isIn("warning", "critical");
                assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
            }
        }
        assertThat(alerts)
                .containsExactlyInAnyOrder(
                        "QuintetConsumerLagGrowing",
                        "QuintetDeadLetterRateHigh",
                        "QuintetSinkCommitStale",
                        "QuintetEnricherDown");
    }
}
