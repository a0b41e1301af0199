package io.quintet.gateway;

import static io.quintet.gateway.GatewayHarness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.quintet.gateway.GatewayHarness.Reply;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker goes away and comes back. Needs a broker of its own (the shared {@code @KafkaCluster} one must stay up
 * for the other test classes), so it starts a one-node KRaft cluster with Kafka's own test kit and stops and restarts
 * its broker. Proves: while Kafka is down the gateway answers 503 with Retry-After and reports not ready; nothing it
 * refused appears later; after recovery the client's retry is accepted, and every event is on the topic exactly once.
 */
@Tag("integration")
@Timeout(180)
class KafkaOutageIT {
    static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void brokerDownMeans503ThenTheRetryAfterRecoveryIsStoredOnceAndNothingIsLost() throws Exception {
        String prefix = "outage-" + System.nanoTime() + ".";
        TopicCatalogue catalogue = TopicCatalogue.of(prefix, 2, (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(catalogue.name(TopicCatalogue.EVENTS_RAW), 2, (short) 1),
                            new NewTopic(catalogue.name(TopicCatalogue.PROFILES), 2, (short) 1),
                            new NewTopic(catalogue.name(TopicCatalogue.ERASURE_REQUESTS), 2, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        String topic = catalogue.name(TopicCatalogue.EVENTS_RAW);
        try (GatewayHarness h = GatewayHarness.start(
                cluster.bootstrapServers(),
                prefix,
                Map.of(
                        GatewayConfig.KAFKA_HEALTH_INTERVAL_MS, "200",
                        GatewayConfig.KAFKA_DELIVERY_TIMEOUT_MS, "5000"),
                OpenTelemetry.noop(),
                null)) {
            CanonicalEvent before = CanonicalEventsIT.login();
            assertThat(post(h, before).status()).isEqualTo(202);

            BrokerServer broker = cluster.brokers().values().iterator().next();
            broker.shutdown();
            broker.awaitShutdown();
            await("readiness reports Kafka down")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(h.get("/readyz").status()).isEqualTo(503));

            CanonicalEvent during = CanonicalEventsIT.login();
            Reply refused = post(h, during);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("unavailable");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
            assertThat(h.get("/readyz").json().path("reason").asText()).contains("unreachable");

            broker.startup();
            await("readiness reports Kafka back")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(h.get("/readyz").status()).isEqualTo(200));

            // the client retries the refused event, as Retry-After told it to, until it is accepted
            Reply retried = post(h, during);
            for (int attempt = 1; retried.status() == 503 && attempt < 10; attempt++) {
                java.util.concurrent.locks.LockSupport.parkNanos(
                        Duration.ofMillis(500).toNanos());
                retried = post(h, during);
            }
            assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
            CanonicalEvent after = CanonicalEventsIT.login();
            assertThat(post(h, after).status()).isEqualTo(202);

            List<String> ids =
                    h.readToEnd(topic).stream().map(r -> header(r, "ce_id")).toList();
            assertThat(ids).containsExactlyInAnyOrder(before.id(), during.id(), after.id());
        }
    }

    private static Reply post(GatewayHarness h, CanonicalEvent event) {
        return h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", CanonicalJson.toJson(event));
    }
}
