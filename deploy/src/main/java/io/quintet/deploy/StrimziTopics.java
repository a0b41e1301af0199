package io.quintet.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.model.topics.TopicSpec;
import io.quintet.support.cli.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Generates Strimzi {@code KafkaTopic} resources from the {@link TopicCatalogue}, so the cluster manifests and the
 * code share one source of truth. {@code deploy/k8s/kafka-topics.yaml} is this output; a test fails when the
 * committed file drifts from the catalogue. Regenerate with
 * {@code java -cp ... io.quintet.deploy.StrimziTopics deploy/k8s/kafka-topics.yaml}.
 */
public final class StrimziTopics {
    /** Production defaults: 12 partitions, replication factor 3 (min.insync.replicas 2). */
    public static final TopicCatalogue PRODUCTION = TopicCatalogue.of("", 12, (short) 3);

    public static final String CLUSTER = "quintet";

    private StrimziTopics() {}

    public static String render(TopicCatalogue catalogue) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        StringBuilder out = new StringBuilder(
                "# Generated from io.quintet.model.topics.TopicCatalogue by io.quintet.deploy.StrimziTopics.\n"
                        + "# Do not edit by hand: change the catalogue and regenerate (a test checks this file).\n");
        for (TopicSpec spec : catalogue.specs()) {
            ObjectNode doc = yaml.createObjectNode();
            doc.put("apiVersion", "kafka.strimzi.io/v1beta2");
            doc.put("kind", "KafkaTopic");
            ObjectNode metadata = doc.putObject("metadata");
            metadata.put("name", spec.name().replace('.', '-').replace('_', '-'));
            metadata.putObject("labels").put("strimzi.io/cluster", CLUSTER);
            metadata.putObject("annotations").put("quintet.io/purpose", spec.purpose());
            ObjectNode s = doc.putObject("spec");
            s.put("topicName", spec.name());
            s.put("partitions", spec.partitions());
            s.put("replicas", (int) spec.replicationFactor());
            ObjectNode config = s.putObject("config");
            spec.configs().forEach(config::put);
            try {
                out.append("---\n").append(yaml.writeValueAsString(doc));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    public static void main(String[] args) {
        Cli.main(Cli.method(StrimziTopics.class, "write"), args);
    }

    @Command(
            name = "StrimziTopics",
            description = "writes the Strimzi KafkaTopic resources of the topic catalogue to FILE")
    static int write(
            @Parameters(
                            arity = "0..1",
                            paramLabel = "FILE",
                            defaultValue = "deploy/k8s/kafka-topics.yaml",
                            description = "default ${DEFAULT-VALUE}")
                    Path target)
            throws IOException {
        Files.writeString(target, render(PRODUCTION), StandardCharsets.UTF_8);
        System.out.println("wrote " + target);
        return 0;
    }
}
