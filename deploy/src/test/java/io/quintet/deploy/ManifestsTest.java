package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Syntax and structure checks of the deployment files, without a container engine or a cluster: they parse as YAML,
 * every Kubernetes object is well-formed, every workload has readiness and liveness probes on a declared port,
 * resource requests and a PodDisruptionBudget, and the Compose file runs Kafka, the four services and the console.
 */
class ManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> SERVICES =
            Set.of("ingest-gateway", "enricher", "feed-aggregator", "analytics-sink", "console");
    /** Workloads that export Prometheus metrics: every service but the console, a UI that exports none. */
    private static final Set<String> SCRAPED =
            Set.of("ingest-gateway", "enricher", "feed-aggregator", "analytics-sink");

    static List<JsonNode> documents(Path file) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    @Test
    void everyKubernetesObjectIsWellFormed() throws Exception {
        List<Path> files;
        try (var s = Files.list(Path.of("k8s"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains("quintet.yaml", "kafka-cluster.yaml", "kafka-topics.yaml");
        for (Path f : files) {
            for (JsonNode d : documents(f)) {
                assertThat(d.path("apiVersion").asText()).as(f + " apiVersion").isNotBlank();
                assertThat(d.path("kind").asText()).as(f + " kind").isNotBlank();
                assertThat(d.path("metadata").path("name").asText())
                        .as(f + " metadata.name")
                        .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            }
        }
    }

    @Test
    void everyServiceWorkloadHasProbesResourcesAndADisruptionBudget() throws Exception {
        List<JsonNode> docs = documents(Path.of("k8s/quintet.yaml"));
        Set<String> workloads = new HashSet<>();
        Set<String> budgets = new HashSet<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
                String name = d.at("/metadata/name").asText();
                workloads.add(name);
                JsonNode template = d.at("/spec/template");
                assertThat(d.at("/spec/selector/matchLabels/app.kubernetes.io~1name")
                                .asText())
                        .as(name + " selector")
                        .isEqualTo(name)
                        .isEqualTo(template.at("/metadata/labels/app.kubernetes.io~1name")
                                .asText());
                for (JsonNode c : template.at("/spec/containers")) {
                    Set<String> ports = new HashSet<>();
                    c.path("ports").forEach(p -> ports.add(p.path("name").asText()));
                    for (String probe : List.of("readinessProbe", "livenessProbe")) {
                        JsonNode get = c.path(probe).path("httpGet");
                        assertThat(get.path("path").asText())
                                .as(name + " " + probe + " path")
                                .startsWith("/");
                        assertThat(ports)
                                .as(name + " " + probe + " port")
                                .contains(get.path("port").asText());
                    }
                    assertThat(c.at("/resources/requests/cpu").asText())
                            .as(name + " cpu request")
                            .isNotBlank();
                    assertThat(c.at("/resources/requests/memory").asText())
                            .as(name + " memory request")
                            .isNotBlank();
                    assertThat(c.path("image").asText()).as(name + " image").startsWith("quintet/" + name + ":");
                }
                if (kind.equals("StatefulSet")) {
                    assertThat(d.at("/spec/volumeClaimTemplates"))
                            .as(name + " state volume")
                            .isNotEmpty();
                }
            }
            if (kind.equals("PodDisruptionBudget")) {
                budgets.add(d.at("/spec/selector/matchLabels/app.kubernetes.io~1name")
                        .asText());
            }
        }
        assertThat(workloads).isEqualTo(SERVICES);
        assertThat(budgets).isEqualTo(SERVICES);
    }

    @Test
    void composeRunsKafkaTheTopicsJobTheFourServicesAndTheConsole() throws Exception {
        JsonNode compose = documents(Path.of("compose/docker-compose.yaml")).get(0);
        JsonNode services = compose.path("services");
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsAll(SERVICES).contains("kafka", "topics");
        assertThat(services.at("/kafka/image").asText()).startsWith("apache/kafka:");
        assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
        for (String s : SERVICES) {
            JsonNode svc = services.path(s);
            assertThat(svc.path("image").asText()).as(s).startsWith("quintet/" + s + ":");
            assertThat(svc.path("environment")).as(s + " environment").isNotEmpty();
            assertThat(svc.at("/depends_on/topics/condition").asText())
                    .as(s + " waits for topics")
                    .isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void everyServicePodIsScrapedByPrometheusOnADeclaredPort() throws Exception {
        Set<String> scraped = new HashSet<>();
        for (JsonNode d : documents(Path.of("k8s/quintet.yaml"))) {
            String kind = d.path("kind").asText();
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                continue;
            }
            String name = d.at("/metadata/name").asText();
            if (!SCRAPED.contains(name)) {
                continue;
            }
            JsonNode annotations = d.at("/spec/template/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText())
                    .as(name + " scraped")
                    .isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asText())
                    .as(name + " metrics path")
                    .startsWith("/");
            Set<String> ports = new HashSet<>();
            d.at("/spec/template/spec/containers")
                    .forEach(c -> c.path("ports")
                            .forEach(p -> ports.add(p.path("containerPort").asText())));
            assertThat(ports)
                    .as(name + " declares the scraped port")
                    .contains(annotations.path("prometheus.io/port").asText());
            scraped.add(name);
        }
        assertThat(scraped).isEqualTo(SCRAPED);
    }
}
