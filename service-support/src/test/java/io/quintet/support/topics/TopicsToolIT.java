package io.quintet.support.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.model.topics.TopicSpec;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KafkaCluster
@Timeout(120)
class TopicsToolIT {

    @Test
    void createsTheCatalogueOnceAndIsIdempotent(RunningKafka kafka) throws Exception {
        TopicCatalogue catalogue = TopicCatalogue.of(RunningKafka.unique("tt") + ".", 2, (short) 1);
        try (Admin admin = kafka.admin()) {
            TopicsTool.Report first = TopicsTool.ensure(admin, catalogue, false);
            // every topic is new; one whose create request the admin client retried after a timeout (a loaded
            // machine) comes back as "exists" and is reported as existing, not lost from the report
            List<String> reported = new ArrayList<>(first.created());
            reported.addAll(first.existing());
            assertThat(reported)
                    .containsExactlyInAnyOrderElementsOf(
                            catalogue.specs().stream().map(TopicSpec::name).toList());
            assertThat(first.drift()).isEmpty();

            TopicsTool.Report second = TopicsTool.ensure(admin, catalogue, false);
            assertThat(second.created()).isEmpty();
            assertThat(second.existing()).hasSize(catalogue.specs().size());
            assertThat(second.clean()).isTrue();

            String vault = catalogue.name(TopicCatalogue.PII_VAULT);
            var configs = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, vault)))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .iterator()
                    .next();
            assertThat(configs.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }

    @Test
    void reportsDriftInAnExistingTopicWithoutChangingIt(RunningKafka kafka) throws Exception {
        TopicCatalogue catalogue = TopicCatalogue.of(RunningKafka.unique("drift") + ".", 2, (short) 1);
        try (Admin admin = kafka.admin()) {
            TopicsTool.ensure(admin, catalogue, false);
            String raw = catalogue.name(TopicCatalogue.EVENTS_RAW);
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, raw);
            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "1000"),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            // config changes reach every broker's metadata asynchronously: poll with a deadline
            TopicsTool.Report report = TopicsTool.ensure(admin, catalogue, true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (report.drift().isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
                report = TopicsTool.ensure(admin, catalogue, true);
            }

            assertThat(report.drift())
                    .containsExactly(new TopicsTool.Drift(
                            raw, TopicConfig.RETENTION_MS_CONFIG, String.valueOf(24 * 3600 * 1000L), "1000"));
            assertThat(report.created()).isEmpty();
        }
    }

    @Test
    void checkOnlyReportsMissingTopicsWithoutCreatingThem(RunningKafka kafka) throws Exception {
        TopicCatalogue catalogue = TopicCatalogue.of(RunningKafka.unique("check") + ".", 1, (short) 1);
        try (Admin admin = kafka.admin()) {
            TopicsTool.Report report = TopicsTool.ensure(admin, catalogue, true);
            assertThat(report.missing()).hasSize(catalogue.specs().size());
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .noneMatch(n -> n.startsWith(catalogue.prefix()));
        }
    }
}
