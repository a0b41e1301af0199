package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The topic side of the scan on a real broker: it lists the downstream topics and the feed-aggregator's internal ones
 * (not the enricher's, which hold raw ids by design), reads every record, and locates a planted raw email.
 */
@KafkaCluster
@Timeout(120)
class PrivacyScanIT {
    private static final String EMAIL = "grace@example.com";

    @Test
    void aPlantedEmailIsFoundAtItsTopicPartitionOffsetInDownstreamAndFeedInternalTopics(RunningKafka kafka)
            throws Exception {
        String prefix = RunningKafka.unique("scan") + ".";
        TopicCatalogue catalogue = TopicCatalogue.of(prefix, 2, (short) 1);
        String feedsApp = prefix + "feeds";
        String canonical = catalogue.name(TopicCatalogue.EVENTS_CANONICAL);
        String metrics = catalogue.name(TopicCatalogue.METRICS);
        String feedChangelog = feedsApp + "-feed-items-changelog";
        String enricherChangelog = prefix + "enricher-pii-subjects-changelog";
        kafka.createTopics(2, canonical, metrics, feedChangelog, enricherChangelog);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(canonical, 0, "ps_1", "{\"actor\":{\"id\":\"ps_1\"}}"))
                    .get();
            ProducerRecord<String, String> leak = new ProducerRecord<>(canonical, 0, "ps_1", "{}");
            leak.headers().add("ce_subject", EMAIL.getBytes(StandardCharsets.UTF_8));
            producer.send(leak).get();
            producer.send(new ProducerRecord<>(metrics, 1, "auth", "{\"count\":3}"))
                    .get();
            producer.send(new ProducerRecord<>(feedChangelog, 1, "notifications:ps_2", "{\"owner\":\"" + EMAIL + "\"}"))
                    .get();
            producer.send(new ProducerRecord<>(enricherChangelog, 0, EMAIL, "raw by design"))
                    .get();
        }

        List<String> topics;
        try (Admin admin = kafka.admin()) {
            topics = PrivacyScan.downstreamTopics(admin, catalogue, feedsApp);
        }
        PrivacyScan scan = new PrivacyScan(List.of(EMAIL, "user-3"));
        scan.scanTopics(kafka.bootstrapServers(), topics);

        assertThat(topics).contains(canonical, metrics, feedChangelog).doesNotContain(enricherChangelog);
        assertThat(scan.recordsPerTopic())
                .containsEntry(canonical, 2L)
                .containsEntry(metrics, 1L)
                .containsEntry(feedChangelog, 1L);
        assertThat(scan.findings())
                .extracting(PrivacyScan.Finding::where)
                .containsExactlyInAnyOrder(canonical + "/0@1 header 'ce_subject'", feedChangelog + "/1@0 value");
    }
}
