package io.quintet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KafkaCluster(brokers = 3)
@Timeout(180)
class ThreeBrokerClusterIT {

    @Test
    void threeBrokersServeAFullyReplicatedTopic(RunningKafka kafka) throws Exception {
        assertThat(kafka.brokerCount()).isEqualTo(3);
        String topic = RunningKafka.unique("replicated");
        kafka.createTopics(3, topic);
        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(3);
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic);
            assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        }
    }
}
