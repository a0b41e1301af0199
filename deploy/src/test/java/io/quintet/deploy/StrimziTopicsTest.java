package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quintet.model.topics.TopicCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrimziTopicsTest {
    private static final Path COMMITTED = Path.of("k8s/kafka-topics.yaml");

    @Test
    void committedTopicManifestsMatchTheCatalogue() throws Exception {
        assertThat(Files.readString(COMMITTED))
                .as("deploy/k8s/kafka-topics.yaml is stale: regenerate it with io.quintet.deploy.StrimziTopics")
                .isEqualTo(StrimziTopics.render(StrimziTopics.PRODUCTION));
    }

    @Test
    void everyCatalogueTopicIsAWellFormedKafkaTopicResource() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs;
        try (MappingIterator<JsonNode> it =
                yaml.readerFor(JsonNode.class).readValues(StrimziTopics.render(StrimziTopics.PRODUCTION))) {
            docs = it.readAll();
        }
        assertThat(docs).hasSize(StrimziTopics.PRODUCTION.specs().size());
        for (JsonNode d : docs) {
            assertThat(d.path("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(d.path("metadata").path("name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(d.path("metadata")
                            .path("labels")
                            .path("strimzi.io/cluster")
                            .asText())
                    .isEqualTo("quintet");
            assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
            assertThat(d.path("spec").path("config").path("min.insync.replicas").asText())
                    .isEqualTo("2");
        }
        JsonNode vault = docs.stream()
                .filter(d -> d.at("/spec/topicName").asText().equals(TopicCatalogue.PII_VAULT))
                .findFirst()
                .orElseThrow();
        assertThat(vault.at("/spec/config/cleanup.policy").asText()).isEqualTo("compact");
    }
}
