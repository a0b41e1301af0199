package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The topology reads like the data flow: named steps, the privacy seam between dedup and stamping. */
class TopologyShapeTest {

    private static List<String> pathFrom(TopologyDescription d, String source, String sink) {
        TopologyDescription.Node start = d.subtopologies().stream()
                .flatMap(s -> s.nodes().stream())
                .filter(n -> n.name().equals(source))
                .findFirst()
                .orElseThrow();
        List<String> path = new ArrayList<>();
        return walk(start, sink, path) ? path : List.of();
    }

    private static boolean walk(TopologyDescription.Node node, String sink, List<String> path) {
        path.add(node.name());
        if (node.name().equals(sink)) {
            return true;
        }
        for (TopologyDescription.Node next : node.successors()) {
            if (walk(next, sink, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        return false;
    }

    @Test
    void rawEventsFlowThroughTheNamedStepsInOrderWithPseudonymizeBetweenDedupAndStamping() {
        TopologyDescription d = EnricherTopology.buildTopology(
                        EnricherSettings.defaults(), EnricherTelemetry.noop(), PrivacyStep.disabled())
                .describe();

        assertThat(pathFrom(d, "read-events-raw", "write-events-canonical"))
                .containsExactly(
                        "read-events-raw",
                        "decode",
                        "validate",
                        "apply-tracking-plan",
                        "route-",
                        "route-accepted",
                        "unwrap-event",
                        "deduplicate",
                        PrivacyStep.PROCESSOR,
                        "stamp-super-properties",
                        "key-by-actor",
                        "write-events-canonical");
        assertThat(pathFrom(d, "read-events-raw", "write-events-dlq"))
                .containsSubsequence("apply-tracking-plan", "route-rejected", "dead-letter", "write-events-dlq");
    }

    @Test
    void storesAreNamedAndAttachedToTheirSteps() {
        TopologyDescription d = EnricherTopology.buildTopology(
                        EnricherSettings.defaults(), EnricherTelemetry.noop(), PrivacyStep.disabled())
                .describe();
        Set<String> dedupUsers = new LinkedHashSet<>();
        Set<String> profileUsers = new LinkedHashSet<>();
        d.subtopologies()
                .forEach(s -> s.nodes().forEach(n -> {
                    if (n instanceof TopologyDescription.Processor p) {
                        if (p.stores().contains(io.quintet.enricher.dedup.DeduplicateStep.STORE)) {
                            dedupUsers.add(p.name());
                        }
                        if (p.stores().contains("profiles-store")) {
                            profileUsers.add(p.name());
                        }
                    }
                }));
        assertThat(dedupUsers).containsExactly("deduplicate");
        assertThat(profileUsers).contains("stamp-super-properties", "profiles-table");
        // events and profiles share one sub-topology: stamping reads the profile of the same partition
        assertThat(d.subtopologies()).hasSize(1);
        assertThat(d.subtopologies().iterator().next().nodes().stream()
                        .map(TopologyDescription.Node::name)
                        .collect(Collectors.toSet()))
                .contains("read-profiles", "read-events-raw");
    }
}
