package io.quintet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.testkit.KafkaClusterExtension;
import io.quintet.testkit.RunningKafka;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaClusterExtension.class)
class BenchTopicsIT {

    private static void create(Admin admin, String... names) throws Exception {
        admin.createTopics(List.of(names).stream()
                        .map(n -> new NewTopic(n, 2, (short) 1))
                        .toList())
                .all()
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void deletesOnlyTheBenchmarkTopicsCreatedDuringTheRun(RunningKafka kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            create(admin, "bench-earlier-run.events.raw", "orders.it-bench-topics");
            Set<String> before = BenchTopics.names(kafka.bootstrapServers());

            create(
                    admin,
                    "bench-enricher-1a2b.events.raw",
                    "bench-enricher-1a2b-dedup-store-changelog",
                    "bench.sink.1733.events.canonical",
                    "payments.it-bench-topics");
            List<String> deleted = BenchTopics.deleteCreatedSince(kafka.bootstrapServers(), before);

            assertThat(deleted)
                    .containsExactly(
                            "bench-enricher-1a2b-dedup-store-changelog",
                            "bench-enricher-1a2b.events.raw",
                            "bench.sink.1733.events.canonical");
            Set<String> left = BenchTopics.names(kafka.bootstrapServers());
            assertThat(left)
                    .contains("bench-earlier-run.events.raw", "orders.it-bench-topics", "payments.it-bench-topics")
                    .doesNotContainAnyElementsOf(deleted);
            assertThat(BenchTopics.deleteCreatedSince(kafka.bootstrapServers(), left))
                    .as("nothing new")
                    .isEmpty();
        }
    }
}
